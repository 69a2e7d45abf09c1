using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace SagaEngine.Host.Persistence;

/// <summary>
/// Runs callbacks once the transaction of a DbContext commits, and drops them when it rolls back: for
/// telling this process about a change only when others can read it.
/// </summary>
public sealed class AfterCommit : DbTransactionInterceptor
{
    readonly ConditionalWeakTable<DbContext, List<Action>> _pending = new();

    /// <summary>Runs <paramref name="action"/> after <paramref name="db"/>'s current transaction commits (at once when it has none).</summary>
    public void Run(DbContext db, Action action)
    {
        if (db.Database.CurrentTransaction is null)
        {
            action();
            return;
        }
        lock (_pending)
            _pending.GetOrCreateValue(db).Add(action);
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(eventData.Context);

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        Committed(eventData.Context);
        return Task.CompletedTask;
    }

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Take(eventData.Context);

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        Take(eventData.Context);
        return Task.CompletedTask;
    }

    void Committed(DbContext? db)
    {
        foreach (var action in Take(db))
            action();
    }

    List<Action> Take(DbContext? db)
    {
        if (db is null)
            return [];
        lock (_pending)
            return _pending.TryGetValue(db, out var actions) && _pending.Remove(db) ? actions : [];
    }
}
