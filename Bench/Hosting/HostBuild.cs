using System.Diagnostics;
using System.Runtime.InteropServices;

namespace SagaEngine.Bench.Hosting;

/// <summary>
/// Publishes the host as the container image does (Release, ReadyToRun for this machine's platform,
/// tiered PGO off), so that the benchmark measures what would be shipped: not a Debug build, and (with
/// the warm-up waiting for the JIT to settle) not a host whose JIT compiles and recompiles its code while it is measured.
/// </summary>
public static class HostBuild
{
    public const string Configuration = "Release";

    /// <summary>linux-x64 here; ReadyToRun code is compiled for one platform.</summary>
    public static string RuntimeIdentifier => $"linux-{RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant()}";

    /// <summary>The Dockerfile's PUBLISH_ARGS, with this machine's runtime identifier and an output folder of the benchmark's own.</summary>
    public static IReadOnlyList<string> PublishArguments(string repositoryRoot) =>
    [
        "publish", RepositoryRoot.HostProject, "-c", Configuration, "-r", RuntimeIdentifier, "--self-contained", "false",
        "-p:PublishReadyToRun=true", "-p:UseAppHost=false", "-o", OutputDirectory(repositoryRoot), "-nologo", "-v", "quiet"
    ];

    static string OutputDirectory(string repositoryRoot) => Path.Combine(repositoryRoot, "bin", "bench-host");

    /// <summary>Where the publish puts the host's entry point.</summary>
    public static string EntryPoint(string repositoryRoot) => Path.Combine(OutputDirectory(repositoryRoot), "SagaEngine.dll");

    public static string CommandLine(string repositoryRoot) => "dotnet " + string.Join(' ', PublishArguments(repositoryRoot));

    public static async Task RunAsync(string repositoryRoot, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = repositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true
        };
        foreach (var argument in PublishArguments(repositoryRoot))
            start.ArgumentList.Add(argument);

        using var build = Process.Start(start) ?? throw new BenchSetupException("Could not start 'dotnet publish'.");
        var output = build.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = build.StandardError.ReadToEndAsync(cancellationToken);
        await build.WaitForExitAsync(cancellationToken);
        if (build.ExitCode != 0)
            throw new BenchSetupException($"'{CommandLine(repositoryRoot)}' failed ({build.ExitCode}):\n{Tail(await output + await errors)}");
    }

    static string Tail(string text) => string.Join('\n', text.Split('\n').TakeLast(30));
}
