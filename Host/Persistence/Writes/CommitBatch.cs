using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;

namespace SagaEngine.Host.Persistence.Writes;

/// <summary>
/// Holds row writes of a transaction until it commits, then sends them all as one command just before the
/// COMMIT: for the rows every message writes (its outbox rows, its saga's row), which EF's change tracker
/// and command pipeline cost more to save than the statements themselves. If any held UPDATE finds its row
/// changed by someone else, the commit fails with <see cref="DbUpdateConcurrencyException"/>, as
/// <c>SaveChanges</c> would; a failed statement fails it with <see cref="DbUpdateException"/>.
/// </summary>
/// <remarks>
/// A handler that saves its own changes with EF before the commit takes the held inserts along in that save:
/// one round trip instead of two, and a handler that saves first and locks a contended row last (the stock
/// of a SKU) keeps that lock only until the commit, with nothing else sent while it holds it.
/// </remarks>
public sealed class CommitBatch(CommandMetrics commands) : DbTransactionInterceptor, ISaveChangesInterceptor
{
    readonly ConditionalWeakTable<DbTransaction, List<HeldWrite>> _held = new();

    readonly record struct HeldWrite(object Entity, RowSql Sql, bool IsUpdate, object? OriginalToken);

    /// <summary>
    /// Holds the INSERT of <paramref name="entity"/>'s row for the commit of <paramref name="db"/>'s transaction.
    /// False when there is no transaction, or its type's mapping is one <see cref="RowSql"/> leaves to EF: then
    /// the caller saves it with EF.
    /// </summary>
    public bool HoldInsert(DbContext db, object entity) => Hold(db, entity, isUpdate: false, originalToken: null);

    /// <summary>
    /// Holds the UPDATE of <paramref name="entity"/>'s row (every column) for the commit, on the condition that
    /// its concurrency token still holds <paramref name="originalToken"/>. The entity must not be tracked.
    /// </summary>
    public bool HoldUpdate(DbContext db, object entity, object? originalToken) => Hold(db, entity, isUpdate: true, originalToken);

    /// <summary>True when writes of <paramref name="clrType"/> in <paramref name="db"/>'s transaction would be held.</summary>
    public static bool Holds(DbContext db, Type clrType) =>
        db.Database.CurrentTransaction is not null && RowSql.For(db.Model, clrType) is not null;

    /// <summary>Forgets held inserts of <typeparamref name="T"/> that <paramref name="match"/> picks: a row written and withdrawn in one transaction.</summary>
    public void Drop<T>(DbContext db, Func<T, bool> match)
    {
        if (db.Database.CurrentTransaction?.GetDbTransaction() is not { } transaction || !_held.TryGetValue(transaction, out var writes))
            return;
        lock (writes)
            writes.RemoveAll(w => !w.IsUpdate && w.Entity is T entity && match(entity));
    }

    bool Hold(DbContext db, object entity, bool isUpdate, object? originalToken)
    {
        if (db.Database.CurrentTransaction?.GetDbTransaction() is not { } transaction || RowSql.For(db.Model, entity.GetType()) is not { } sql)
            return false;
        var writes = _held.GetValue(transaction, _ => []);
        // A handler may publish from several tasks at once.
        lock (writes)
            writes.Add(new HeldWrite(entity, sql, isUpdate, originalToken));
        return true;
    }

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        HandOverInserts(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        HandOverInserts(eventData.Context);
        return ValueTask.FromResult(result);
    }

    /// <summary>Gives the held inserts to a save that has changes of its own to send; a save with nothing of its own leaves them held.</summary>
    void HandOverInserts(DbContext? db)
    {
        if (db?.Database.CurrentTransaction?.GetDbTransaction() is not { } transaction || !_held.TryGetValue(transaction, out var writes))
            return;
        List<HeldWrite> inserts;
        lock (writes)
        {
            if (!writes.Exists(w => !w.IsUpdate) || !db.ChangeTracker.HasChanges())
                return;
            inserts = writes.FindAll(w => !w.IsUpdate);
            writes.RemoveAll(w => !w.IsUpdate);
        }
        lock (db)
            foreach (var insert in inserts)
                db.Add(insert.Entity);
    }

    // PostgreSQL's provider hands out the same transaction object again on the same connection, so what an
    // earlier transaction left held (it failed, or was disposed without a rollback) is forgotten at every start.
    public override DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        _held.Remove(result);
        return result;
    }

    public override ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData,
        DbTransaction result, CancellationToken cancellationToken = default)
    {
        _held.Remove(result);
        return ValueTask.FromResult(result);
    }

    public override DbTransaction TransactionUsed(DbConnection connection, TransactionEventData eventData, DbTransaction result)
    {
        _held.Remove(result);
        return result;
    }

    public override ValueTask<DbTransaction> TransactionUsedAsync(DbConnection connection, TransactionEventData eventData,
        DbTransaction result, CancellationToken cancellationToken = default)
    {
        _held.Remove(result);
        return ValueTask.FromResult(result);
    }

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => _held.Remove(transaction);

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        _held.Remove(transaction);
        return Task.CompletedTask;
    }

    public override async ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData,
        InterceptionResult result, CancellationToken cancellationToken = default)
    {
        if (Take(transaction) is var (command, rows))
            await using (command)
                Check(rows, await Execute(() => command.ExecuteNonQueryAsync(cancellationToken)));
        return result;
    }

    public override InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
    {
        if (Take(transaction) is var (command, rows))
            using (command)
                Check(rows, Execute(() => Task.FromResult(command.ExecuteNonQuery())).GetAwaiter().GetResult());
        return result;
    }

    /// <summary>The held writes as one command, each statement after the other, and how many rows they write.</summary>
    (DbCommand Command, int Rows)? Take(DbTransaction transaction)
    {
        if (!_held.TryGetValue(transaction, out var writes) || !_held.Remove(transaction))
            return null;
        HeldWrite[] taken;
        lock (writes)
            taken = [.. writes];
        if (taken.Length == 0)
            return null;

        var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "";
        foreach (var write in taken)
            if (write.IsUpdate)
                write.Sql.AppendUpdate(command, write.Entity, write.OriginalToken);
            else
                write.Sql.AppendInsert(command, write.Entity);
        return (command, taken.Length);
    }

    async Task<int> Execute(Func<Task<int>> execute)
    {
        try
        {
            return await execute();
        }
        catch (DbException e)
        {
            throw new DbUpdateException($"The rows held for the commit could not be written: {e.Message}", e);
        }
        finally
        {
            commands.Sent();
        }
    }

    // Each statement writes one row: an INSERT always, an UPDATE unless its row was changed first.
    static void Check(int rows, int affected)
    {
        if (affected < rows)
            throw new DbUpdateConcurrencyException(
                $"{rows - affected} of the rows held for the commit had been changed by someone else since they were read.");
    }
}
