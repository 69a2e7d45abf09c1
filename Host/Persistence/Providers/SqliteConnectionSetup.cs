using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace SagaEngine.Host.Persistence.Providers;

/// <summary>
/// SQLite has one writer at a time (see <see cref="SqliteWriteGate"/>, whose turn a closing connection gives back). Without a busy timeout a transaction that finds the database
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

    public override InterceptionResult ConnectionClosing(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        SqliteWriteGate.Instance.Release(connection);
        return result;
    }

    public override ValueTask<InterceptionResult> ConnectionClosingAsync(DbConnection connection, ConnectionEventData eventData,
        InterceptionResult result)
    {
        SqliteWriteGate.Instance.Release(connection);
        return ValueTask.FromResult(result);
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
