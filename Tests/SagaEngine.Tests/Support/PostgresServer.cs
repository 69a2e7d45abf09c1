using Npgsql;
using SagaEngine.Bench.Hosting;

namespace SagaEngine.Tests.Support;

/// <summary>
/// One throwaway PostgreSQL cluster for the whole test run (the benchmark's <see cref="LocalPostgres"/>,
/// without durability), stopped and deleted once the test process has gone. Each test host gets a
/// database of its own. If the server cannot start, every PostgreSQL test fails with the reason: none
/// passes by skipping it.
/// </summary>
public sealed class PostgresServer
{
    static readonly Lazy<PostgresServer> Shared = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    readonly LocalPostgres _cluster;

    PostgresServer(LocalPostgres cluster) => _cluster = cluster;

    public static PostgresServer Instance => Shared.Value;

    public int Port => _cluster.Port;

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

    // Never disposed: the cluster's watchdog stops it after the test process, whose runner does not wait for clean-up.
    static PostgresServer Start() =>
        new(LocalPostgres.StartAsync(CancellationToken.None, durable: false, maxConnections: 500).GetAwaiter().GetResult());
}
