using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace SagaEngine.Host.Persistence.Relay;

/// <summary>
/// Wakes this process's relay the moment a transaction that wrote outbox rows commits, so that
/// delivery does not wait for the next poll. Rows written and rolled back wake nobody.
/// </summary>
public sealed class OutboxCommitWatcher(OutboxSignal signal) : IDbTransactionInterceptor, ISaveChangesInterceptor
{
    readonly ConditionalWeakTable<DbContext, object> _pending = new();

    /// <summary>Called by whoever adds an outbox row to <paramref name="db"/>.</summary>
    public void RowAdded(DbContext db) => _pending.AddOrUpdate(db, this);

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        Committed(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    // EF saves a single statement without a transaction of its own: then the save itself was the commit.
    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (eventData.Context?.Database.CurrentTransaction is null)
            Committed(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result,
        CancellationToken cancellationToken = default) => ValueTask.FromResult(SavedChanges(eventData, result));

    void Committed(DbContext? db)
    {
        if (db is not null && _pending.Remove(db))
            signal.Notify();
    }

    void Forget(DbContext? db)
    {
        if (db is not null)
            _pending.Remove(db);
    }
}
