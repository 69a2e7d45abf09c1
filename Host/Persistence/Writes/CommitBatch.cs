using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using SagaEngine.Host.Persistence.Providers;

namespace SagaEngine.Host.Persistence.Writes;

/// <summary>
/// Holds writes of a transaction until it commits, then sends them all as one command just before the COMMIT
/// (on PostgreSQL, with the COMMIT in the same command): for what every message writes (its outbox rows, its
/// saga's row, the removal of a timeout it cancels), which EF's change tracker and command pipeline, or a round
/// trip each, cost more than the statements themselves.
/// If a held UPDATE finds its row changed by someone else, the commit fails with
/// <see cref="DbUpdateConcurrencyException"/>, as <c>SaveChanges</c> would; a failed statement fails it with
/// <see cref="DbUpdateException"/>.
/// </summary>
/// <remarks>
/// A handler that saves its own changes with EF before the commit takes the held inserts along in that save:
/// one round trip instead of two, and a handler that saves first and locks a contended row last (the stock
/// of a SKU) keeps that lock only until the commit, with nothing else sent while it holds it.
/// </remarks>
public sealed partial class CommitBatch(CommandMetrics commands) : DbTransactionInterceptor, ISaveChangesInterceptor
{
    readonly ConditionalWeakTable<DbTransaction, List<HeldWrite>> _held = new();

    enum Kind { Insert, Update, Statement, Rows }

    /// <summary>
    /// What is held: its kind, the entity it writes (if any), how it binds and words its statements, and how many
    /// rows they return when every row they change still had what it was read with.
    /// </summary>
    /// <remarks><c>Explain</c> turns a database error this write caused into the caller's own exception (null: not its error).</remarks>
    sealed record HeldWrite(Kind Kind, object? Entity, Func<DbCommand, string> Statement, int ExpectedRows = 0,
        Func<DbException, Exception?>? Explain = null);

    /// <summary>
    /// Holds the INSERT of <paramref name="entity"/>'s row for the commit of <paramref name="db"/>'s transaction.
    /// False when there is no transaction, or its type's mapping is one <see cref="RowSql"/> leaves to EF: then
    /// the caller saves it with EF.
    /// </summary>
    public bool HoldInsert(DbContext db, object entity) =>
        RowSql.For(db.Model, entity.GetType()) is { } sql && Hold(db, new HeldWrite(Kind.Insert, entity, command => sql.Insert(command, entity)));

    /// <summary>
    /// Holds the UPDATE of <paramref name="entity"/>'s row (every column) for the commit, on the condition that
    /// its concurrency token still holds <paramref name="originalToken"/>. The entity must not be tracked.
    /// </summary>
    public bool HoldUpdate(DbContext db, object entity, object? originalToken) =>
        RowSql.For(db.Model, entity.GetType()) is { } sql
        // The row it returns is how the commit tells a matched update from one whose row had changed.
        && Hold(db, new HeldWrite(Kind.Update, entity, command => $"{sql.Update(command, entity, originalToken)} RETURNING 1", ExpectedRows: 1));

    /// <summary>
    /// Holds a statement whose count of changed rows does not matter (a DELETE of what may already be gone),
    /// with <c>{0}</c>, <c>{1}</c>… for <paramref name="values"/>, bound as EF binds values of their types.
    /// False when there is no transaction: then the caller runs it at once.
    /// </summary>
    public bool HoldStatement(DbContext db, string sql, params object[] values)
    {
        var mappings = db.GetService<IRelationalTypeMappingSource>();
        var bound = values.Select(v => (Mapping: mappings.FindMapping(v.GetType())!, Value: v)).ToArray();
        return Hold(db, new HeldWrite(Kind.Statement, null, command =>
            string.Format(sql, bound.Select(b => (object)RowSql.Bind(command, b.Mapping, b.Value)).ToArray())));
    }

    /// <summary>
    /// Holds, on PostgreSQL only, a statement that returns one row for each row it writes and must write
    /// <paramref name="expectedRows"/> of them, with <c>@</c> parameters it binds itself (named after the count of
    /// parameters the command already has, to stay apart from the others'). When it writes fewer, or fails, the
    /// commit fails with what <paramref name="explain"/> makes of the error, else as <see cref="HoldUpdate"/>'s would.
    /// False on SQLite and when there is no transaction: then the caller runs it at once.
    /// </summary>
    public bool HoldCounted(DbContext db, Func<DbCommand, string> statement, int expectedRows, Func<DbException, Exception?> explain) =>
        db.Database.IsPostgres() && Hold(db, new HeldWrite(Kind.Statement, null, statement, expectedRows, explain));

    /// <summary>True when writes of <paramref name="clrType"/> in <paramref name="db"/>'s transaction would be held.</summary>
    public static bool Holds(DbContext db, Type clrType) =>
        db.Database.CurrentTransaction is not null && RowSql.For(db.Model, clrType) is not null;

    /// <summary>Forgets held inserts of <typeparamref name="T"/> that <paramref name="match"/> picks: a row written and withdrawn in one transaction.</summary>
    public void Drop<T>(DbContext db, Func<T, bool> match)
    {
        if (db.Database.CurrentTransaction?.GetDbTransaction() is not { } transaction || !_held.TryGetValue(transaction, out var writes))
            return;
        lock (writes)
            writes.RemoveAll(w => w.Kind == Kind.Insert && w.Entity is T entity && match(entity));
    }

    bool Hold(DbContext db, HeldWrite write)
    {
        if (db.Database.CurrentTransaction?.GetDbTransaction() is not { } transaction)
            return false;
        var writes = _held.GetValue(transaction, _ => []);
        // A handler may publish from several tasks at once.
        lock (writes)
            writes.Add(write);
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
            if (!writes.Exists(w => w.Kind == Kind.Insert) || !db.ChangeTracker.HasChanges())
                return;
            inserts = writes.FindAll(w => w.Kind == Kind.Insert);
            writes.RemoveAll(w => w.Kind == Kind.Insert);
        }
        lock (db)
            foreach (var insert in inserts)
                db.Add(insert.Entity!);
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
        if (Take(transaction) is not { } taken)
            return result;
        await using (taken.Command)
            await Send(taken, sync: false, cancellationToken);
        return taken.Commits ? InterceptionResult.Suppress() : result;
    }

    public override InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
    {
        if (Take(transaction) is not { } taken)
            return result;
        using (taken.Command)
            Send(taken, sync: true, CancellationToken.None).GetAwaiter().GetResult();
        return taken.Commits ? InterceptionResult.Suppress() : result;
    }

    /// <summary>The command of what was held, how many rows it returns when none is stale, whether it commits, and the writes it holds.</summary>
    sealed record Taken(DbCommand Command, int Expected, bool Commits, HeldWrite[] Writes);

    /// <summary>
    /// The held writes as one command, each statement after the other, and how many rows they return when none is
    /// stale. On PostgreSQL the command ends with the COMMIT (<paramref name="transaction"/>'s round trip of its own
    /// saved), and each statement that must change a given count of rows checks it itself (<see cref="Guarded"/>):
    /// the database runs a batch's statements in order and skips the rest after the first that fails, so a stale
    /// row fails the transaction before its COMMIT. SQLite runs in-process, where a round trip costs next to
    /// nothing, so there the rows are counted here and EF commits.
    /// </summary>
    Taken? Take(DbTransaction transaction)
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
        if (!DatabaseKind.IsPostgres(transaction.Connection))
        {
            command.CommandText = string.Join(";\n", taken.Select(w => w.Statement(command)));
            return new(command, taken.Sum(w => w.ExpectedRows), false, taken);
        }
        command.CommandText = string.Join(";\n", taken.Select((w, i) => Guarded(w.Statement(command), w.ExpectedRows, i)).Append("COMMIT"));
        return new(command, 0, true, taken);
    }

    /// <summary>Marks the error a guarded statement raises when it changed fewer rows than it should have.</summary>
    const string StaleRows = "SagaEngine: rows held for the commit had changed since they were read";

    static readonly Regex StaleWrite = new($@"{StaleRows} \(held write (\d+)\)", RegexOptions.CultureInvariant);

    /// <summary>
    /// <paramref name="statement"/> (one that returns a row for each row it changed) made to fail unless it changed
    /// <paramref name="expectedRows"/> rows. PostgreSQL's SQL has no statement that raises an error of one's own, so
    /// the guard casts its marked text (which names the held write by <paramref name="index"/>) to a number, which
    /// fails quoting it; the count makes that text a value of the row, which keeps the planner from casting it ahead
    /// of time whatever the count.
    /// </summary>
    static string Guarded(string statement, int expectedRows, int index) =>
        expectedRows == 0
            ? statement
            : $"WITH changed AS ({statement}) SELECT CASE count(*) WHEN {expectedRows} THEN 0 "
              + $"ELSE CAST('{StaleRows} (held write {index}): ' || count(*) AS integer) END FROM changed";

    /// <summary>True when <paramref name="error"/> is a guard's: a held write changed fewer rows than it should have.</summary>
    public static bool IsStaleRows(DbException error) =>
        error is PostgresException { SqlState: PostgresErrorCodes.InvalidTextRepresentation } e && StaleWrite.IsMatch(e.MessageText);

    /// <summary>The held write a guard's error names; null for any other error.</summary>
    static HeldWrite? StaleWriteOf(DbException error, HeldWrite[] writes) =>
        IsStaleRows(error) && StaleWrite.Match(((PostgresException)error).MessageText) is { Success: true } match
        && int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) is var index && index < writes.Length
            ? writes[index]
            : null;

    /// <summary>What a failed command becomes: the exception the write that caused it explains it with, else what SaveChanges would throw.</summary>
    static Exception Failure(DbException error, HeldWrite[] writes)
    {
        if (StaleWriteOf(error, writes) is { } stale)
            return stale.Explain?.Invoke(error) ?? new DbUpdateConcurrencyException(
                "A row held for the commit had been changed by someone else, or removed, since it was read; nothing was committed.", error);
        foreach (var write in writes)
            if (write.Explain?.Invoke(error) is { } explained)
                return explained;
        return new DbUpdateException($"The rows held for the commit could not be written: {error.Message}", error);
    }

    /// <summary>
    /// Runs the command to its end (SQLite runs a statement only when its reader reaches it) and counts the rows
    /// the updates and deletes returned: one for each row they changed, none for a row someone else had changed.
    /// A command that commits is the transaction's own round trip, counted with it (<see cref="TransactionMetrics"/>)
    /// rather than as a command.
    /// </summary>
    async Task Send(Taken taken, bool sync, CancellationToken cancellationToken)
    {
        var (command, expected, commits, writes) = taken;
        var matched = 0;
        try
        {
            await using var reader = sync ? command.ExecuteReader() : await command.ExecuteReaderAsync(cancellationToken);
            do
            {
                if (reader.FieldCount > 0)
                    while (sync ? reader.Read() : await reader.ReadAsync(cancellationToken))
                        matched++;
            } while (sync ? reader.NextResult() : await reader.NextResultAsync(cancellationToken));
        }
        catch (DbException e)
        {
            throw Failure(e, writes);
        }
        finally
        {
            if (!commits)
                commands.Sent();
        }
        if (matched < expected)
            throw new DbUpdateConcurrencyException(
                $"{expected - matched} of the rows held for the commit had been changed by someone else, or removed, since they were read.");
    }
}
