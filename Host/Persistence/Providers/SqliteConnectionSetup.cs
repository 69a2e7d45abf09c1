using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace SagaEngine.Host.Persistence.Providers;

/// <summary>
/// SQLite has one writer at a time. Without a busy timeout a transaction that finds the database
/// locked fails or polls in coarse steps; with it SQLite itself waits for the lock in fine steps.
/// </summary>
public sealed class SqliteConnectionSetup : DbConnectionInterceptor
{
    public static readonly SqliteConnectionSetup Instance = new();

    const string Pragmas = "PRAGMA busy_timeout = 30000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
