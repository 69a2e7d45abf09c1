using System.Diagnostics;

namespace SagaEngine.Bench.Hosting;

/// <summary>
/// A throwaway PostgreSQL cluster: Debian's initdb and pg_ctl, a temporary directory, a free port on
/// 127.0.0.1, stopped and deleted when the session ends (or, failing that, once this process has gone).
/// Run as root, the cluster belongs to the postgres user, since the server refuses to run as root.
/// The benchmark's <c>--postgres</c> keeps the server's default durability (fsync and synchronous commit
/// on, as in production) and each run's host creates its own database in it (the connection string
/// names <c>bench_{run}</c>); the test suite starts one without durability, for speed.
/// </summary>
public sealed class LocalPostgres : IAsyncDisposable
{
    readonly string _directory;
    readonly string _bin;
    int _stopped;

    LocalPostgres(string directory, string bin, int port)
    {
        _directory = directory;
        _bin = bin;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The directory PostgreSQL's binaries are taken from, for the report.</summary>
    public string BinDirectory => _bin;

    string DataDirectory => Path.Combine(_directory, "data");

    /// <summary>A connection string for the host; <c>{run}</c> stays in it for the session to replace.</summary>
    public string ConnectionString =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database=bench_{HostLaunchSettings.RunPlaceholder}";

    /// <param name="durable">False turns off fsync, synchronous commit and full-page writes: for tests, never for figures.</param>
    /// <param name="maxConnections">The server's connection limit: one host's pools, or many test hosts side by side.</param>
    public static async Task<LocalPostgres> StartAsync(CancellationToken cancellationToken, bool durable = true, int maxConnections = 200)
    {
        var bin = FindBinDirectory() ?? throw new BenchSetupException(
            "--postgres needs PostgreSQL's server binaries (/usr/lib/postgresql/*/bin/initdb): install Debian's postgresql package, " +
            "or point --provider postgres --connection-string at a running server.");

        var directory = Directory.CreateTempSubdirectory("sagaengine-bench-pg-").FullName;
        var server = new LocalPostgres(directory, bin, FreePort.OnLoopback());
        try
        {
            if (RunsAsRoot)
                await RunAsync("chown", ["-R", "postgres:postgres", directory], cancellationToken);
            string[] initdb = ["-D", server.DataDirectory, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C"];
            await server.RunServerToolAsync("initdb", durable ? initdb : [.. initdb, "--no-sync"], cancellationToken);
            var options = $"-p {server.Port} -k {directory} -h 127.0.0.1 -c max_connections={maxConnections}" +
                          (durable ? "" : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
            await server.RunServerToolAsync("pg_ctl",
                ["-D", server.DataDirectory, "-l", Path.Combine(directory, "server.log"), "-w", "-t", "60", "-o", options, "start"],
                cancellationToken);
            server.StopWhenThisProcessEnds();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
            return;
        try
        {
            if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
                await RunServerToolAsync("pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "stop"], CancellationToken.None);
        }
        catch (BenchSetupException)
        {
            // The watchdog below stops it once this process has gone.
        }
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    static string? FindBinDirectory() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "initdb"))).OrderByDescending(b => b, StringComparer.Ordinal).FirstOrDefault()
            : null;

    /// <summary>
    /// Ctrl+C, an exception or a kill may end the benchmark before it stops the server: a detached
    /// watchdog waits for this process to end, then stops the cluster and deletes its directory.
    /// </summary>
    void StopWhenThisProcessEnds()
    {
        var stop = $"{Path.Combine(_bin, "pg_ctl")} -D {DataDirectory} -m immediate -w stop";
        var script = $"exec </dev/null >/dev/null 2>&1; while kill -0 {Environment.ProcessId}; do sleep 0.5; done; " +
                     $"[ -d {DataDirectory} ] && {(RunsAsRoot ? $"runuser -u postgres -- {stop}" : stop)}; rm -rf {_directory}";
        var start = new ProcessStartInfo("setsid") { UseShellExecute = false };
        foreach (var argument in (string[])["-f", "sh", "-c", script])
            start.ArgumentList.Add(argument);
        using var _ = Process.Start(start);
    }

    Task RunServerToolAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var path = Path.Combine(_bin, tool);
        return RunsAsRoot
            ? RunAsync("runuser", ["-u", "postgres", "--", path, .. arguments], cancellationToken)
            : RunAsync(path, arguments, cancellationToken);
    }

    static bool RunsAsRoot => Environment.UserName == "root";

    static async Task RunAsync(string file, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new BenchSetupException($"{file} did not start.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
            throw new BenchSetupException(
                $"PostgreSQL could not be started: {file} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error}{await output}");
    }
}
