using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace SagaEngine.Tests.Support;

/// <summary>
/// One throwaway PostgreSQL cluster for the whole test run: initdb and pg_ctl from Debian's postgresql
/// package, in a temporary directory, on a free port of 127.0.0.1, stopped and deleted once the test
/// process has gone.
/// Each test host gets a database of its own. If the server cannot start, every PostgreSQL test fails
/// with the reason: none passes by skipping it.
/// </summary>
public sealed class PostgresServer
{
    static readonly Lazy<PostgresServer> Shared = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    readonly string _directory;
    readonly string _bin;

    PostgresServer(string directory, string bin, int port)
    {
        _directory = directory;
        _bin = bin;
        Port = port;
    }

    public static PostgresServer Instance => Shared.Value;

    public int Port { get; }

    string DataDirectory => Path.Combine(_directory, "data");

    /// <summary>
    /// Idle connections of finished hosts close within seconds, so a long run does not reach the
    /// server's connection limit.
    /// </summary>
    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database,
        ConnectionIdleLifetime = 2, ConnectionPruningInterval = 1
    }.ToString();

    /// <summary>A new, empty database; its connection string.</summary>
    public string CreateDatabase()
    {
        var name = $"sagaengine_{Guid.NewGuid():N}";
        using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
        connection.Open();
        using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        create.ExecuteNonQuery();
        return ConnectionString(name);
    }

    static PostgresServer Start()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "initdb"))).OrderByDescending(b => b).FirstOrDefault()
            : null;
        if (bin is null)
            throw new InvalidOperationException(
                "PostgreSQL is not installed: no /usr/lib/postgresql/*/bin/initdb. ./test.sh installs Debian's postgresql package.");

        var directory = Directory.CreateTempSubdirectory("sagaengine-pg-").FullName;
        if (RunsAsRoot)
            // The server refuses to run as root: the cluster belongs to the postgres user.
            Run("chown", ["-R", "postgres:postgres", directory]);

        var server = new PostgresServer(directory, bin, FreePort());
        server.Initialize();
        server.StopWhenThisProcessEnds();
        return server;
    }

    void Initialize()
    {
        RunServerTool("initdb", ["-D", DataDirectory, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
        // A test cluster: durability off for speed, enough connections for hosts running side by side.
        var options = $"-p {Port} -k {_directory} -h 127.0.0.1 -c fsync=off -c synchronous_commit=off " +
                      "-c full_page_writes=off -c max_connections=500";
        RunServerTool("pg_ctl", ["-D", DataDirectory, "-l", Path.Combine(_directory, "server.log"), "-w", "-t", "60", "-o", options, "start"]);
    }

    /// <summary>
    /// The test runner ends this process without waiting for exit handlers to finish (and a run may be
    /// killed), so a detached watchdog outside it waits for it to end, then stops the cluster and
    /// deletes its directory.
    /// </summary>
    void StopWhenThisProcessEnds()
    {
        var stop = $"{Path.Combine(_bin, "pg_ctl")} -D {DataDirectory} -m immediate -w stop";
        // It lets go of this process's output pipes at once, so nothing waits on it.
        var script = $"exec </dev/null >/dev/null 2>&1; while kill -0 {Environment.ProcessId}; do sleep 0.2; done; " +
                     $"{(RunsAsRoot ? $"runuser -u postgres -- {stop}" : stop)}; rm -rf {_directory}";
        Run("setsid", ["-f", "sh", "-c", script]);
    }

    void RunServerTool(string tool, IEnumerable<string> arguments)
    {
        var path = Path.Combine(_bin, tool);
        if (RunsAsRoot)
            Run("runuser", ["-u", "postgres", "--", path, .. arguments]);
        else
            Run(path, arguments);
    }

    static bool RunsAsRoot => Environment.UserName == "root";

    static void Run(string file, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException(
                $"PostgreSQL could not be started: {file} {string.Join(' ', start.ArgumentList)} exited with {process.ExitCode}: {error.Result}{output.Result}");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
