using System.Diagnostics;
using SagaEngine.Bench.Api;

namespace SagaEngine.Bench.Hosting;

/// <summary>
/// One host started as a child process from its Release build, on its own port and data directory,
/// stopped as a container runtime would stop it: SIGTERM first, SIGKILL when it does not go.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    static readonly TimeSpan ReadyPollInterval = TimeSpan.FromMilliseconds(200);
    static readonly TimeSpan GracefulStop = TimeSpan.FromSeconds(15);

    readonly Process _process;
    bool _keepDataDirectory;

    HostProcess(Process process, Uri baseAddress, string dataDirectory)
    {
        _process = process;
        BaseAddress = baseAddress;
        DataDirectory = dataDirectory;
    }

    public Uri BaseAddress { get; }

    public int ProcessId => _process.Id;

    /// <summary>The host's database (SQLite) and its console output (host.log).</summary>
    public string DataDirectory { get; }

    public string LogPath => Path.Combine(DataDirectory, "host.log");

    /// <summary>Null while the host runs.</summary>
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>Starts the host and returns once <c>/health/ready</c> answers 200.</summary>
    public static async Task<HostProcess> StartAsync(string entryPoint, Func<int, string, IReadOnlyDictionary<string, string>> environmentFor,
        IReadOnlyList<string> arguments, TimeSpan startupTimeout, CancellationToken cancellationToken)
    {
        if (!File.Exists(entryPoint))
            throw new BenchSetupException($"The host's build output {entryPoint} is missing; run without --no-build.");

        var dataDirectory = Directory.CreateTempSubdirectory("sagaengine-bench-").FullName;
        var port = FreePort.OnLoopback();
        var host = new HostProcess(Launch(entryPoint, arguments, environmentFor(port, dataDirectory), Path.Combine(dataDirectory, "host.log")),
            new Uri($"http://127.0.0.1:{port}"), dataDirectory);
        try
        {
            await host.WaitUntilReadyAsync(startupTimeout, cancellationToken);
            return host;
        }
        catch
        {
            host._keepDataDirectory = true;
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Through <c>sh -c exec</c> so the host writes its console straight into a file: nothing in this
    /// process has to drain a pipe, and <c>exec</c> keeps the host's PID the one we measure.
    /// </summary>
    static Process Launch(string entryPoint, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, string logPath)
    {
        var start = new ProcessStartInfo("/bin/sh") { WorkingDirectory = Path.GetDirectoryName(entryPoint)!, UseShellExecute = false };
        foreach (var argument in new[] { "-c", "log=\"$1\"; shift; exec dotnet \"$@\" >\"$log\" 2>&1", "sh", logPath, entryPoint })
            start.ArgumentList.Add(argument);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        return Process.Start(start) ?? throw new BenchSetupException("Could not start the host process.");
    }

    async Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var client = new SagaEngineClient(http);
        var deadline = Stopwatch.StartNew();
        while (!await client.IsReadyAsync(cancellationToken))
        {
            if (_process.HasExited)
                throw new BenchSetupException($"The host exited with code {_process.ExitCode} before it was ready:\n{LogTail()}");
            if (deadline.Elapsed > timeout)
                throw new BenchSetupException($"The host was not ready within {timeout.TotalSeconds:0} s at {BaseAddress}health/ready:\n{LogTail()}");
            await Task.Delay(ReadyPollInterval, cancellationToken);
        }
    }

    string LogTail()
    {
        var lines = File.Exists(LogPath) ? File.ReadAllLines(LogPath) : [];
        return $"(last lines of {LogPath})\n" + string.Join('\n', lines.TakeLast(20));
    }

    /// <summary>Keeps the data directory and log after the host stops, e.g. because its run failed.</summary>
    public void KeepDataDirectory() => _keepDataDirectory = true;

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            PosixSignals.Terminate(_process.Id);
            using var grace = new CancellationTokenSource(GracefulStop);
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        _process.Dispose();

        if (!_keepDataDirectory)
            TryDelete(DataDirectory);
    }

    static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS's temp clean-up; the run's result does not depend on it.
        }
    }
}
