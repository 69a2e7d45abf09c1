using Microsoft.EntityFrameworkCore;
using SagaEngine.EventSourcing;

namespace SagaEngine.Host.EventStore;

/// <summary>
/// Every event in position order, for readers that follow the whole store with a position cursor. Such
/// a reader must never be given a position while a lower one can still appear, or it would step past it
/// for good.
/// </summary>
/// <remarks>
/// SQLite has one writer at a time: positions are taken and committed in the same order, so what a
/// reader sees is always a complete prefix.
/// <para>
/// PostgreSQL takes positions from a sequence when rows are inserted, but transactions commit in any
/// order: position 11 may be visible while 10 belongs to a transaction still running (and 10 may never
/// appear, if that one rolls back). A read therefore first notes the last position handed out so far
/// (<c>L</c>), then, in a later statement, which transactions are still running. Every position up to
/// <c>L</c> was taken by a transaction that had its id by then (an append makes sure of it), so it is
/// either finished or in that list. The read returns events up to <c>L</c> only; a run without gaps
/// from the cursor on is returned at once, and a gap is crossed only once every transaction of the list
/// has finished, when whatever is still missing up to <c>L</c> is known to be rolled back. Writers pay
/// nothing for this; a reader waits at a gap for the transactions that were running when it looked, up
/// to <see cref="InFlightWait"/>, and otherwise returns the run before the gap (the next read goes on
/// from there).
/// </para>
/// </remarks>
public sealed class GlobalFeed(DbContext db, EventTypeRegistry types) : IEventFeed
{
    public static readonly TimeSpan InFlightWait = TimeSpan.FromSeconds(1);

    static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(2);

    /// <summary>Events after position <paramref name="after"/>, in position order, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<RecordedEvent>> Read(long after, int limit, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is not null)
            throw new InvalidOperationException("The global feed is read outside a transaction: each of its statements must see what committed before it.");
        var store = new StoreConnection(db);
        await using var open = await store.Open(cancellationToken);
        return store.IsPostgres
            ? await ReadPostgres(store, after, limit, cancellationToken)
            : await Rows(store, after, long.MaxValue, limit, cancellationToken);
    }

    public async Task<EventFeedPage> Read(long after, int limit, string? category = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(after);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var events = await Read(after, limit, cancellationToken);
        var next = events.Count > 0 ? events[^1].Position : after;
        return category is null
            ? new EventFeedPage(events, next)
            : new EventFeedPage(events.Where(e => StreamIds.TrySplit(e.StreamId, out var c, out _) && c == category).ToList(), next);
    }

    public object Deserialize(RecordedEvent recorded) => types.Deserialize(recorded.Type, recorded.SchemaVersion, recorded.Data);

    static async Task<IReadOnlyList<RecordedEvent>> ReadPostgres(StoreConnection store, long after, int limit, CancellationToken cancellationToken)
    {
        var (last, running) = await Horizon(store, cancellationToken);
        if (last is not { } upTo || upTo <= after)
            return [];

        var rows = await Rows(store, after, upTo, limit, cancellationToken);
        var run = RunWithoutGaps(rows, after);
        if (run == rows.Count && (rows.Count == limit || rows.Count > 0 && rows[^1].Position == upTo))
            return rows;
        // Nothing was running once L was read: the positions missing up to L were rolled back.
        if (running.Count == 0)
            return rows;
        if (await WaitUntilFinished(store, running, cancellationToken))
            return await Rows(store, after, upTo, limit, cancellationToken);
        return rows.Take(run).ToList();
    }

    /// <summary>
    /// The last position taken (L), then, in a second statement, every transaction of this database that
    /// has an id and is still running. (A snapshot lists only transactions older than the newest one that
    /// finished; a transaction's lock on its own id shows every one of them.)
    /// </summary>
    static async Task<(long? Last, List<string> Running)> Horizon(StoreConnection store, CancellationToken cancellationToken)
    {
        await using var command = store.Command($"""
            SELECT pg_sequence_last_value(pg_get_serial_sequence('{StoredEventMap.Table}', 'Position')::regclass);
            {RunningTransactions};
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        long? last = null;
        if (await reader.ReadAsync(cancellationToken) && !reader.IsDBNull(0))
            last = reader.GetInt64(0);
        await reader.NextResultAsync(cancellationToken);
        var running = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
            running.Add(reader.GetString(0));
        return (last, running);
    }

    /// <summary>The ids of this database's running transactions: each holds the lock on its own id until it has ended and become visible.</summary>
    const string RunningTransactions = """
        SELECT l.transactionid::text FROM pg_locks AS l JOIN pg_stat_activity AS a ON a.pid = l.pid
        WHERE l.locktype = 'transactionid' AND l.mode = 'ExclusiveLock' AND l.granted AND a.datname = current_database()
        """;

    /// <summary>True once none of <paramref name="transactions"/> is running any more.</summary>
    static async Task<bool> WaitUntilFinished(StoreConnection store, List<string> transactions, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + InFlightWait;
        await using var command = store.Command($"SELECT EXISTS ({RunningTransactions} AND l.transactionid::text = ANY(@ids))");
        store.Bind(command, "@ids", transactions.ToArray());
        while (true)
        {
            if (!(bool)(await command.ExecuteScalarAsync(cancellationToken))!)
                return true;
            if (DateTime.UtcNow >= deadline)
                return false;
            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    static async Task<List<RecordedEvent>> Rows(StoreConnection store, long after, long upTo, int limit, CancellationToken cancellationToken)
    {
        await using var command = store.Command(
            $"{EventRows.Select} WHERE \"Position\" > @after AND \"Position\" <= @upTo ORDER BY \"Position\" LIMIT @limit");
        store.Bind(command, "@after", after);
        store.Bind(command, "@upTo", upTo);
        store.Bind(command, "@limit", limit);
        return await EventRows.ReadAll(command, cancellationToken);
    }

    /// <summary>How many of <paramref name="rows"/>, from the first, follow the cursor without a missing position.</summary>
    static int RunWithoutGaps(List<RecordedEvent> rows, long after)
    {
        var run = 0;
        while (run < rows.Count && rows[run].Position == after + run + 1)
            run++;
        return run;
    }
}
