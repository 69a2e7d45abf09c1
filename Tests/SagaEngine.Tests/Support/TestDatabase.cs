using Microsoft.Data.Sqlite;
using SagaEngine.Host.Persistence;

namespace SagaEngine.Tests.Support;

/// <summary>
/// A database of its own for a test: a SQLite file in a temporary directory (deleted afterwards), or
/// a fresh database on the test run's PostgreSQL server. Several hosts, in this process or in
/// others, can use it one after the other or side by side.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    readonly string _directory = Directory.CreateTempSubdirectory("sagaengine-test-").FullName;

    public TestDatabase(DatabaseProvider provider)
    {
        Provider = provider;
        if (provider == DatabaseProvider.Postgres)
            PostgresConnectionString = PostgresServer.Instance.CreateDatabase();
    }

    public DatabaseProvider Provider { get; }

    public string SqlitePath => Path.Combine(_directory, "sagaengine.db");

    public string? PostgresConnectionString { get; }

    /// <summary>The settings that point a host at this database.</summary>
    public IReadOnlyDictionary<string, string?> Settings => Provider == DatabaseProvider.Postgres
        ? new Dictionary<string, string?>
        {
            ["Database:Provider"] = nameof(DatabaseProvider.Postgres),
            ["ConnectionStrings:SagaEngine"] = PostgresConnectionString!
        }
        : new Dictionary<string, string?>
        {
            ["Database:Provider"] = nameof(DatabaseProvider.Sqlite),
            ["Database:SqlitePath"] = SqlitePath
        };

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is left for the OS's temp clean-up; the test result stands.
        }
        return ValueTask.CompletedTask;
    }
}
