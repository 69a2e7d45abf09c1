using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace SagaEngine.Host.Persistence.Providers;

/// <summary>
/// SQLite lets one transaction write at a time, and its busy handler is not fair: under steady load a
/// waiting writer can keep losing the lock to newcomers until its timeout (seen: HTTP requests failing
/// with "database is locked" after 30 s). Transactions of this process therefore queue here, first come
/// first served, one per database file, before they ask SQLite for the lock. Reads need no turn (WAL).
/// </summary>
public sealed class SqliteWriteGate : DbTransactionInterceptor
{
    public static readonly SqliteWriteGate Instance = new();

    /// <summary>As long as SQLite's own busy timeout: a turn not had by then fails like a locked database would.</summary>
    static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    readonly ConcurrentDictionary<string, SemaphoreSlim> _turns = new();
    readonly ConditionalWeakTable<DbConnection, SemaphoreSlim> _holders = new();

    public override async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection,
        TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        var turn = _turns.GetOrAdd(connection.DataSource, _ => new SemaphoreSlim(1, 1));
        if (!await turn.WaitAsync(MaxWait, cancellationToken))
            throw new TimeoutException($"No turn to write to {connection.DataSource} within {MaxWait.TotalSeconds:0} s.");
        _holders.AddOrUpdate(connection, turn);
        return result;
    }

    public override InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection,
        TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        var turn = _turns.GetOrAdd(connection.DataSource, _ => new SemaphoreSlim(1, 1));
        if (!turn.Wait(MaxWait))
            throw new TimeoutException($"No turn to write to {connection.DataSource} within {MaxWait.TotalSeconds:0} s.");
        _holders.AddOrUpdate(connection, turn);
        return result;
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Release(transaction, eventData);

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        Release(transaction, eventData);
        return Task.CompletedTask;
    }

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Release(transaction, eventData);

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        Release(transaction, eventData);
        return Task.CompletedTask;
    }

    public override void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Release(transaction, eventData);

    public override Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData,
        CancellationToken cancellationToken = default)
    {
        Release(transaction, eventData);
        return Task.CompletedTask;
    }

    void Release(DbTransaction transaction, DbContextEventData eventData)
    {
        if ((transaction.Connection ?? eventData.Context?.Database.GetDbConnection()) is { } connection)
            Release(connection);
    }

    /// <summary>
    /// Also called when the connection closes: a transaction disposed without commit or rollback (an
    /// exception on the way) ends with its connection, and must not keep the turn.
    /// </summary>
    public void Release(DbConnection connection)
    {
        if (_holders.TryGetValue(connection, out var turn) && _holders.Remove(connection))
            turn.Release();
    }
}
