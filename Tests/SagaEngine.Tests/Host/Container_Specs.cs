using FreePort = SagaEngine.Bench.Hosting.FreePort;
using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using SagaEngine.Host.Health;
using SagaEngine.Tests.Support;
using Xunit.Abstractions;

namespace SagaEngine.Tests.Host;

/// <summary>What the Dockerfile and .dockerignore declare, read from the files themselves.</summary>
public class Container_definition
{
    readonly Dockerfile _dockerfile = ContainerImage.ReadDockerfile();

    [Fact]
    public void Should_build_in_the_SDK_image_and_run_in_the_ASP_NET_runtime_image()
    {
        Assert.True(_dockerfile.Stages.Count >= 2, "a build stage and a runtime stage");
        var (stage, _, _) = Assert.Single(_dockerfile.CopiesFromStages);
        Assert.Contains("/dotnet/sdk:", _dockerfile.Named(stage).Image);
        Assert.Contains("/dotnet/aspnet:", _dockerfile.Final.Image);
    }

    [Fact]
    public void Should_keep_the_publish_arguments_in_one_ARG_that_the_publish_uses()
    {
        var build = _dockerfile.Named(_dockerfile.CopiesFromStages.Single().Stage);

        Assert.True(build.Args.TryGetValue(ContainerImage.PublishArgs, out var publishArgs), $"ARG {ContainerImage.PublishArgs} in the build stage");
        Assert.Contains("-c Release", publishArgs);
        var publish = Assert.Single(build.All("RUN"), r => r.Contains("dotnet publish"));
        Assert.Contains($"${{{ContainerImage.PublishArgs}}}", publish);
    }

    [Fact]
    public void Should_run_as_a_non_root_user()
    {
        var user = _dockerfile.User;

        Assert.NotNull(user);
        Assert.DoesNotMatch(@"^(root|0)(:.*)?$", user);
        // The runtime image's own unprivileged user (app, uid 1654), not one this Dockerfile would have to create.
        Assert.Equal("1654", ContainerImage.Resolve(user, ContainerImage.RuntimeImageEnvironment));
    }

    [Fact]
    public void Should_listen_on_port_8080_on_every_interface()
    {
        Assert.Equal(new[] { 8080 }, _dockerfile.ExposedPorts);
        Assert.Equal("http://0.0.0.0:8080", _dockerfile.Final.Env["Urls"]);
        // The base image's HTTP_PORTS would otherwise compete with Urls (Kestrel warns and takes Urls).
        Assert.Equal("", _dockerfile.Final.Env["ASPNETCORE_HTTP_PORTS"]);
    }

    [Fact]
    public void Should_keep_the_SQLite_database_on_a_volume()
    {
        var volume = Assert.Single(_dockerfile.Volumes);

        Assert.StartsWith(volume + "/", _dockerfile.Final.Env["Database__SqlitePath"]);
    }

    [Fact]
    public void Should_check_health_with_the_hosts_own_command_on_health_live()
    {
        var (command, options) = _dockerfile.HealthCheck ?? throw new Xunit.Sdk.XunitException("no HEALTHCHECK");

        Assert.Equal(_dockerfile.Entrypoint.Append(HealthCheckCommand.Name), command);
        Assert.Contains("--timeout", options.Keys);
        // With the container's settings the command asks /health/live on the port the host listens on.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(
            _dockerfile.Final.Env.Select(e => KeyValuePair.Create(e.Key.Replace("__", ":"), (string?)e.Value))).Build();
        Assert.Equal(new Uri("http://127.0.0.1:8080/health/live"), HealthCheckCommand.LiveUri(configuration));
    }

    [Fact]
    public void Should_leave_build_output_tests_and_local_data_out_of_the_build_context()
    {
        var ignore = ContainerImage.ReadDockerIgnore();

        foreach (var path in new[] { "bin/Debug/net10.0/SagaEngine.dll", "obj/project.assets.json", "Tests/SagaEngine.Tests/SagaEngine.Tests.csproj",
                     "Bench/SagaEngine.Bench.csproj", "data/sagaengine.db", ".git/HEAD" })
            Assert.True(ignore.Ignores(path), $"{path} is sent to docker build");
        foreach (var path in new[] { "SagaEngine.csproj", "appsettings.json", "Host/Program.cs", "Sagas/OrderStateMachine.cs" })
            Assert.False(ignore.Ignores(path), $"{path} is left out of docker build");
    }
}

/// <summary>Where the container's health check asks, from the same settings the host listens by.</summary>
public class Container_health_check_command
{
    [Theory]
    [InlineData("http://0.0.0.0:8080", null, "http://127.0.0.1:8080/health/live")]
    [InlineData("http://+:9000", null, "http://127.0.0.1:9000/health/live")]
    [InlineData("http://*:80", null, "http://127.0.0.1:80/health/live")]
    [InlineData("http://[::]:8081", null, "http://127.0.0.1:8081/health/live")]
    [InlineData("http://localhost:5005", null, "http://localhost:5005/health/live")]
    [InlineData("https://0.0.0.0:8443;http://0.0.0.0:8080", null, "http://127.0.0.1:8080/health/live")]
    [InlineData(null, "8080;8081", "http://127.0.0.1:8080/health/live")]
    [InlineData(null, null, "http://127.0.0.1:5000/health/live")]
    public void Should_ask_health_live_on_loopback_at_the_port_the_host_listens_on(string? urls, string? httpPorts, string expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Urls"] = urls,
            ["HTTP_PORTS"] = httpPorts
        }).Build();

        Assert.Equal(new Uri(expected), HealthCheckCommand.LiveUri(configuration));
    }
}

/// <summary>
/// The container without a Docker engine (none runs here): the build stage's own commands publish the
/// host from a copy of the build context, and the published host runs the way the image's ENTRYPOINT,
/// ENV, WORKDIR, USER and VOLUME say. Only what must differ on a shared test machine is changed.
/// </summary>
public class Container_run(PublishedImage image, ITestOutputHelper output) : IClassFixture<PublishedImage>
{
    [Fact]
    public async Task Should_start_as_the_image_does_confirm_an_order_and_pass_its_health_check()
    {
        output.WriteLine($"publish (the build stage's RUN commands): {image.PublishTime.TotalSeconds:F1} s, as uid {image.Uid?.ToString() ?? "of the test process"}");
        var port = FreePort.OnLoopback();
        var volume = image.NewVolume();
        var clock = Stopwatch.StartNew();

        var command = image.Command(image.Dockerfile.Entrypoint, port, volume);
        // A read that succeeds logs its request at Debug; lowered as docs/observability.md says (a container's
        // environment takes the dot in the name), the host shows the health check's request below.
        command.Environment["Serilog__MinimumLevel__Override__Serilog.AspNetCore.RequestLoggingMiddleware"] = "Debug";
        await using (var host = await HostProcess.Start(command, new Uri($"http://127.0.0.1:{port}")))
        {
            await Eventually.True(async () => (await host.Client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK,
                "GET /health/ready answers 200", seconds: 30);
            output.WriteLine($"ready after {clock.Elapsed.TotalSeconds:F1} s");

            var orders = new OrdersClient(host.Client);
            var orderId = await orders.Submit();
            var order = await orders.WaitUntilEnded(orderId);
            Assert.True(order.State == "Confirmed", $"order ended {order.State} ({order.FailureReason}):{Environment.NewLine}{host.Output}");
            output.WriteLine($"order confirmed after {clock.Elapsed.TotalSeconds:F1} s");

            // The database is where the image keeps it: on the volume, written by the image's user.
            Assert.True(File.Exists(Path.Combine(volume, "sagaengine.db")), $"no sagaengine.db in the volume:{Environment.NewLine}{host.Output}");

            var (exitCode, said) = await image.HealthCheck(port, volume);
            Assert.True(exitCode == 0, $"HEALTHCHECK exited {exitCode}: {said}{Environment.NewLine}{host.Output}");
            Assert.Contains($"GET http://127.0.0.1:{port}/health/live answered 200", said);
            await Eventually.True(() => host.Output.Contains("GET /health/live"), "the host logged the health check's request");
        }

        var (downExitCode, downSaid) = await image.HealthCheck(port, volume);
        Assert.True(downExitCode != 0, $"HEALTHCHECK exited 0 with the host stopped: {downSaid}");
        output.WriteLine($"done after {clock.Elapsed.TotalSeconds:F1} s");
    }
}

/// <summary>Where the Dockerfile and the build context are, and what the runtime image itself brings.</summary>
public static class ContainerImage
{
    public const string PublishArgs = "PUBLISH_ARGS";

    /// <summary>
    /// What the ASP.NET runtime image sets before this Dockerfile's ENV (from its own definition; cannot be
    /// read here without Docker): its non-root user's id, the port it listens on by default, the container flag.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> RuntimeImageEnvironment = new Dictionary<string, string>
    {
        ["APP_UID"] = "1654",
        ["ASPNETCORE_HTTP_PORTS"] = "8080",
        ["DOTNET_RUNNING_IN_CONTAINER"] = "true"
    };

    public static string Root { get; } = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(HostProcess.HostAssembly()))))!;

    public static Dockerfile ReadDockerfile() => Dockerfile.Read(Path.Combine(Root, "Dockerfile"));

    public static DockerIgnore ReadDockerIgnore() => DockerIgnore.Read(Path.Combine(Root, ".dockerignore"));

    /// <summary>Replaces $NAME and ${NAME} as Docker does in USER, ENV and the like.</summary>
    public static string Resolve(string text, IReadOnlyDictionary<string, string> environment) =>
        Dockerfile.Substitution().Replace(text, m => environment.GetValueOrDefault(m.Groups["name"].Value, ""));
}

/// <summary>
/// The image, published once per test class into a temporary folder: the build context copied as
/// .dockerignore says, the build stage's RUN commands (restore, then publish with the Dockerfile's own
/// PUBLISH_ARGS) run in it, output where the final stage copies from. Removed with everything it started.
/// </summary>
public sealed class PublishedImage : IAsyncLifetime
{
    /// <summary>The publish compiles every assembly ReadyToRun, which takes minutes on a busy 2-core machine.</summary>
    static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(600);

    readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("sagaengine-container-");
    int _volumes;

    public Dockerfile Dockerfile { get; } = ContainerImage.ReadDockerfile();

    /// <summary>What the final stage's WORKDIR (and COPY --from destination) holds: the published host.</summary>
    public string AppDirectory => Path.Combine(_root.FullName, "app");

    public TimeSpan PublishTime { get; private set; }

    /// <summary>The uid the image's USER names, when this test process may switch to it (as root); otherwise null and the host runs as the test's user.</summary>
    public int? Uid { get; private set; }

    public async Task InitializeAsync()
    {
        var clock = Stopwatch.StartNew();
        // Readable for the image's user, as the image's /app is; the temporary folder itself is private.
        // The image is Linux's; so is every machine these specs publish it on.
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(_root.FullName, (UnixFileMode)Convert.ToInt32("755", 8));
        var context = Path.Combine(_root.FullName, "context");
        ContainerImage.ReadDockerIgnore().CopyContext(ContainerImage.Root, context);

        var (stageName, source, _) = Dockerfile.CopiesFromStages.Single();
        var build = Dockerfile.Named(stageName);
        foreach (var run in build.All("RUN"))
        {
            // The one path that changes: the build stage's output folder, which the final stage copies to its WORKDIR.
            var command = Regex.Replace(run, $@"(?<=\s){Regex.Escape(source)}(?=\s|$)", AppDirectory);
            var start = new ProcessStartInfo("/bin/sh") { WorkingDirectory = context };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(command);
            // The stage's ARGs reach its RUN commands as environment variables, as in docker build.
            foreach (var (key, value) in build.Args)
                start.Environment[key] = value;
            // Not the test run's MSBuild settings; and no MSBuild nodes or server left behind on a shared machine.
            // The C# compiler server stays allowed: the build of this test project has just used it (it
            // stops itself when idle), and compiling without it takes twice as long here.
            foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
                start.Environment.Remove(key);
            start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
            start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
            var (exitCode, said) = await RunToExit(start, CommandTimeout);
            if (exitCode != 0)
                throw new InvalidOperationException($"RUN {command} exited {exitCode}:{Environment.NewLine}{said}");
        }
        PublishTime = clock.Elapsed;
        if (!File.Exists(Path.Combine(AppDirectory, "SagaEngine.dll")))
            throw new InvalidOperationException($"The build stage published no SagaEngine.dll into {AppDirectory}.");

        // USER: the runtime image's uid, switched to with setpriv when this process is root (the uid needs no account here).
        var user = ContainerImage.Resolve(Dockerfile.User ?? "", ContainerImage.RuntimeImageEnvironment);
        if (Environment.UserName == "root" && int.TryParse(user.Split(':')[0], out var uid) && File.Exists("/usr/bin/setpriv"))
            Uid = uid;
    }

    /// <summary>A fresh folder for the image's VOLUME, owned by its user as the image's folder is.</summary>
    public string NewVolume()
    {
        var volume = Directory.CreateDirectory(Path.Combine(_root.FullName, $"volume-{Interlocked.Increment(ref _volumes)}")).FullName;
        var home = Directory.CreateDirectory(HomeBeside(volume)).FullName;
        if (Uid is { } uid)
        {
            Chown(volume, uid);
            Chown(home, uid);
        }
        return volume;
    }

    /// <summary>
    /// A command as the container runs it: the image's environment (the runtime image's, then the
    /// Dockerfile's ENV), its WORKDIR and USER. Rewritten because this machine is shared and has no
    /// Docker: the exposed port becomes <paramref name="port"/> (another may hold 8080), the VOLUME's
    /// path becomes <paramref name="volume"/>, and paths under WORKDIR point to the published folder.
    /// </summary>
    public ProcessStartInfo Command(IReadOnlyList<string> argv, int port, string volume)
    {
        var workdir = Dockerfile.Final.Workdir ?? "/";
        var volumePath = Dockerfile.Volumes.Single();
        var exposed = Dockerfile.ExposedPorts.Single();
        IEnumerable<string> arguments = argv.Select(a => a.StartsWith(workdir + "/") ? Path.Combine(AppDirectory, a[(workdir.Length + 1)..]) : a);
        if (Uid is { } uid)
            arguments = ["setpriv", $"--reuid={uid}", $"--regid={uid}", "--clear-groups", .. arguments];

        var list = arguments.ToList();
        var start = new ProcessStartInfo(list[0]) { WorkingDirectory = AppDirectory };
        foreach (var argument in list.Skip(1))
            start.ArgumentList.Add(argument);

        // Only the image's environment, not the test run's; PATH to find dotnet, HOME as the user's home.
        start.Environment.Clear();
        start.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH");
        start.Environment["HOME"] = HomeBeside(volume);
        foreach (var (key, value) in ContainerImage.RuntimeImageEnvironment.Concat(Dockerfile.Final.Env))
        {
            var rewritten = Regex.Replace(value, $@"(?<!\d){exposed}(?!\d)", port.ToString());
            if (rewritten == volumePath || rewritten.StartsWith(volumePath + "/"))
                rewritten = volume + rewritten[volumePath.Length..];
            start.Environment[key] = rewritten;
        }
        return start;
    }

    /// <summary>Runs the image's HEALTHCHECK command as Docker would (same environment and user) and returns its exit code and output.</summary>
    public Task<(int ExitCode, string Output)> HealthCheck(int port, string volume) =>
        RunToExit(Command(Dockerfile.HealthCheck!.Value.Command, port, volume), TimeSpan.FromSeconds(30));

    public Task DisposeAsync()
    {
        _root.Delete(recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>The user's home folder (the image's /home/app), one per volume so that runs share nothing.</summary>
    static string HomeBeside(string volume) => volume + "-home";

    static void Chown(string path, int uid)
    {
        var start = new ProcessStartInfo("chown", [$"{uid}:{uid}", path]);
        using var process = Process.Start(start)!;
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"chown {uid} {path} exited {process.ExitCode}");
    }

    static async Task<(int ExitCode, string Output)> RunToExit(ProcessStartInfo start, TimeSpan timeout)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"{start.FileName} {string.Join(' ', start.ArgumentList)} did not end within {timeout.TotalSeconds} s:{Environment.NewLine}{await stdout}{await stderr}");
        }
        return (process.ExitCode, (await stdout + await stderr).Trim());
    }
}
