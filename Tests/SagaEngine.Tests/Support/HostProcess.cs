using FreePort = SagaEngine.Bench.Hosting.FreePort;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace SagaEngine.Tests.Support;

/// <summary>
/// The built host in a process of its own (<c>dotnet SagaEngine.dll</c>), as it runs in production,
/// so that a test can kill it without warning.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    readonly Process _process;
    readonly ConcurrentQueue<string> _output = new();

    HostProcess(Process process, Uri address)
    {
        _process = process;
        Client = new HttpClient { BaseAddress = address };
    }

    public HttpClient Client { get; }

    /// <summary>What the process wrote, for failure messages.</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    public static async Task<HostProcess> Start(IReadOnlyDictionary<string, string?> settings)
    {
        var host = Launch(settings);
        await host.WaitUntilServing();
        return host;
    }

    /// <summary>Starts a host that is expected to refuse to start; its exit code and everything it wrote.</summary>
    public static async Task<(int ExitCode, string Output)> StartExpectingFailure(IReadOnlyDictionary<string, string?> settings)
    {
        await using var host = Launch(settings);
        var exited = host._process.WaitForExitAsync();
        if (await Task.WhenAny(exited, Task.Delay(TimeSpan.FromSeconds(60))) != exited)
            throw new TimeoutException($"The host process neither failed nor stopped within 60 s:{Environment.NewLine}{host.Output}");
        await exited;
        // The asynchronous readers may still hold the last lines.
        host._process.WaitForExit();
        return (host._process.ExitCode, host.Output);
    }

    /// <summary>
    /// Starts any command that runs the host (a published copy, a container's entry point) exactly as
    /// <paramref name="start"/> describes it, and waits until it serves on <paramref name="address"/>.
    /// </summary>
    public static async Task<HostProcess> Start(ProcessStartInfo start, Uri address)
    {
        var host = Launch(start, address);
        try
        {
            await host.WaitUntilServing();
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
        return host;
    }

    static HostProcess Launch(IReadOnlyDictionary<string, string?> settings)
    {
        var dll = HostAssembly();
        var address = new Uri($"http://127.0.0.1:{FreePort.OnLoopback()}");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!
        };
        start.ArgumentList.Add(dll);
        start.Environment["Urls"] = address.ToString();
        start.Environment["Serilog__MinimumLevel__Default"] = "Warning";
        foreach (var (key, value) in settings)
            start.Environment[key.Replace(":", "__")] = value;
        return Launch(start, address);
    }

    static HostProcess Launch(ProcessStartInfo start, Uri address)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var process = new Process { StartInfo = start };
        var host = new HostProcess(process, address);
        process.OutputDataReceived += (_, e) => host.Record(e.Data);
        process.ErrorDataReceived += (_, e) => host.Record(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>SIGKILL: no shutdown, no flush; only what was committed survives.</summary>
    public async Task Kill()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
            await Kill();
        _process.Dispose();
        Client.Dispose();
    }

    void Record(string? line)
    {
        if (line is not null)
            _output.Enqueue(line);
    }

    async Task WaitUntilServing()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"The host process exited with {_process.ExitCode}:{Environment.NewLine}{Output}");
            try
            {
                if ((await Client.GetAsync("/outbox")).StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"The host process did not serve within 60 s:{Environment.NewLine}{Output}");
            await Task.Delay(50);
        }
    }

    /// <summary>The host's own build output, beside the test project's: bin/{configuration}/{framework}/SagaEngine.dll.</summary>
    internal static string HostAssembly()
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var (framework, configuration) = (testOutput.Name, testOutput.Parent!.Name);
        var root = testOutput;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "SagaEngine.csproj")))
            root = root.Parent;
        var dll = root is null ? null : Path.Combine(root.FullName, "bin", configuration, framework, "SagaEngine.dll");
        return dll is not null && File.Exists(dll)
            ? dll
            : throw new FileNotFoundException($"The built host was not found (looked for {dll ?? "a SagaEngine.csproj above " + testOutput}).");
    }
}
