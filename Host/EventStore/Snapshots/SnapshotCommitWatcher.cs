using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace SagaEngine.Host.EventStore.Snapshots;

/// <summary>
/// Hands streams that reached a snapshot version to the <see cref="SnapshotSignal"/> once the transaction
/// that appended to them committed; the writer would find nothing to snapshot before, and an append that
/// rolled back needs no snapshot at all.
/// </summary>
public sealed class SnapshotCommitWatcher(SnapshotSignal signal) : DbTransactionInterceptor
{
    readonly ConditionalWeakTable<DbContext, HashSet<string>> _pending = new();

    public void Appended(DbContext db, string streamId)
    {
        var streams = _pending.GetValue(db, _ => new HashSet<string>(StringComparer.Ordinal));
        lock (streams)
            streams.Add(streamId);
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(eventData.Context);

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        Committed(eventData.Context);
        return Task.CompletedTask;
    }

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context);

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    public override void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Forget(eventData.Context);

    public override Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData,
        CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    void Committed(DbContext? db)
    {
        if (db is null || !_pending.TryGetValue(db, out var streams))
            return;
        _pending.Remove(db);
        lock (streams)
            foreach (var streamId in streams)
                signal.Due(streamId);
    }

    void Forget(DbContext? db)
    {
        if (db is not null)
            _pending.Remove(db);
    }
}
