using System.Data.Common;
using System.Text;
using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SagaEngine.EventSourcing;
using SagaEngine.Host.EventStore.Snapshots;
using SagaEngine.Host.Persistence;
using SagaEngine.Host.Persistence.Outbox;
using SagaEngine.Host.Persistence.Writes;

namespace SagaEngine.Host.EventStore;

/// <summary>
/// Appends to the <c>events</c> table on the scope's DbContext, inside its current transaction (or a
/// transaction of its own when there is none), so that events commit with whatever else the caller wrote.
/// On PostgreSQL, inside the caller's transaction, the rows are held for its commit (<see cref="CommitBatch"/>),
/// which sends them with the COMMIT: a stream that is not at the expected version then fails the commit with
/// <see cref="StreamVersionConflictException"/>, and nothing of the transaction is written.
/// </summary>
public sealed class SqlEventStreams(
    DbContext db, EventTypeRegistry types, AmbientEventMetadata ambient, TimeProvider clock,
    AfterCommit afterCommit, SnapshotSignal snapshots, IOptions<EventStoreOptions> options, SentMessages? sentMessages = null,
    CommitBatch? commitBatch = null) : IEventStreams
{
    const string Columns =
        "\"Category\", \"StreamId\", \"Version\", \"Type\", \"SchemaVersion\", \"Data\", \"MessageId\", \"OccurredAt\", " +
        "\"CorrelationId\", \"CausationId\", \"TraceParent\", \"RecordedAt\"";

    public async Task Append(IReadOnlyList<StreamAppend> appends, CancellationToken cancellationToken = default)
    {
        var rows = Validate(appends);
        if (rows == 0)
            return;

        var store = new StoreConnection(db);
        var prepared = Prepare(appends);
        if (Hold(store, prepared, appends))
        {
            foreach (var streamId in DueForSnapshots(appends))
                afterCommit.Run(db, () => snapshots.Due(streamId));
            return;
        }

        await using var open = await store.Open(cancellationToken);
        var ownTransaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            var inserted = await Insert(store, prepared, cancellationToken);
            if (inserted != rows)
                // A stream's expected version does not exist: the writer read a version the stream never had.
                throw new StreamVersionConflictException(appends);
            if (ownTransaction is not null)
                await ownTransaction.CommitAsync(cancellationToken);
            // The writer would find nothing to snapshot before the commit, and an append rolled back needs none.
            foreach (var streamId in DueForSnapshots(appends))
                if (ownTransaction is null)
                    afterCommit.Run(db, () => snapshots.Due(streamId));
                else
                    snapshots.Due(streamId);
        }
        catch (DbException e) when (StoreConnection.IsUniqueViolation(e, StoredEventMap.Table, StoredEventMap.StreamVersionIndex))
        {
            throw new StreamVersionConflictException(appends, e);
        }
        finally
        {
            if (ownTransaction is not null)
                await ownTransaction.DisposeAsync();
        }
    }

    /// <summary>
    /// Holds the append for the commit of the caller's transaction, where the commit batch can (PostgreSQL): one
    /// statement each stream, each checked in the database to insert all of that stream's events.
    /// </summary>
    bool Hold(StoreConnection store, PreparedAppend prepared, IReadOnlyList<StreamAppend> appends)
    {
        if (commitBatch is null || !store.IsPostgres || db.Database.CurrentTransaction is null)
            return false;
        // Its own check failing (fewer events inserted: not at the expected version), or another writer's event there first.
        Exception? Conflict(DbException e) =>
            CommitBatch.IsStaleRows(e) || StoreConnection.IsUniqueViolation(e, StoredEventMap.Table, StoredEventMap.StreamVersionIndex)
                ? new StreamVersionConflictException(appends, e)
                : null;
        // Held before its events, in the same command: see Insert.
        if (!commitBatch.HoldCounted(db, _ => "SELECT pg_current_xact_id()", 0, _ => null))
            return false;
        for (var n = 0; n < prepared.Streams.Count; n++)
        {
            var stream = prepared.Streams[n];
            commitBatch.HoldCounted(db, command => $"{Statement(store, command, prepared, stream, $"@e{command.Parameters.Count}_")} RETURNING 1",
                stream.Events.Count, Conflict);
        }
        return true;
    }

    /// <summary>The streams whose append reached a multiple of <c>EventStore:SnapshotEvery</c>.</summary>
    IEnumerable<string> DueForSnapshots(IReadOnlyList<StreamAppend> appends)
    {
        var every = options.Value.SnapshotEvery;
        return every > 0
            ? appends.Where(a => a.ExpectedVersion / every != a.NewVersion / every).Select(a => a.StreamId)
            : [];
    }

    public Task<long> Version(string streamId, CancellationToken cancellationToken = default) =>
        new EventStreamReader(db).Version(streamId, cancellationToken);

    static int Validate(IReadOnlyList<StreamAppend> appends)
    {
        var rows = 0;
        foreach (var append in appends)
        {
            if (!StreamIds.TrySplit(append.StreamId, out _, out _))
                throw new ArgumentException($"'{append.StreamId}' is not a stream id of the form category-key.", nameof(appends));
            if (append.ExpectedVersion < 0)
                throw new ArgumentOutOfRangeException(nameof(appends), $"The expected version of {append.StreamId} must be 0 or more.");
            rows += append.Events.Count;
        }
        if (appends.Select(a => a.StreamId).Distinct(StringComparer.Ordinal).Count() != appends.Count)
            throw new ArgumentException("Each stream may appear once in one append.", nameof(appends));
        return rows;
    }

    /// <summary>An append's values, taken when it is asked for (the handled message, the clock), whenever its statements are sent.</summary>
    sealed record PreparedAppend(IReadOnlyList<PreparedStream> Streams, Guid? CorrelationId, Guid? CausationId, string? TraceParent, DateTime Now);

    sealed record PreparedStream(string StreamId, long ExpectedVersion, IReadOnlyList<PreparedEvent> Events);

    sealed record PreparedEvent(long Version, string Type, int SchemaVersion, string Data, Guid MessageId, DateTime? OccurredAt);

    PreparedAppend Prepare(IReadOnlyList<StreamAppend> appends)
    {
        var (correlationId, causationId, traceParent, causeSentAt) = ambient.Current();
        var streams = appends.Select(append =>
        {
            var version = append.ExpectedVersion;
            var events = append.Events.Select(@event =>
            {
                var type = types.Of(@event.Data.GetType());
                var (messageId, occurredAt) = Identity(@event, causationId, causeSentAt);
                return new PreparedEvent(++version, type.Name, type.SchemaVersion,
                    JsonSerializer.Serialize(@event.Data, type.ClrType, EventStoreJson.Options), messageId, occurredAt);
            }).ToList();
            return new PreparedStream(append.StreamId, append.ExpectedVersion, events);
        }).ToList();
        return new PreparedAppend(streams, correlationId, causationId, traceParent, StreamAggregator.Microseconds(clock.GetUtcNow().UtcDateTime));
    }

    /// <summary>
    /// All streams' INSERTs in one round trip. On PostgreSQL it first makes sure the transaction has its id: the
    /// global feed's guarantee rests on a transaction having its id before it takes a position (see GlobalFeed).
    /// </summary>
    static async Task<int> Insert(StoreConnection store, PreparedAppend prepared, CancellationToken cancellationToken)
    {
        await using var command = store.Command("");
        var sql = new StringBuilder(store.IsPostgres ? "SELECT pg_current_xact_id();\n" : "");
        for (var n = 0; n < prepared.Streams.Count; n++)
            sql.Append(Statement(store, command, prepared, prepared.Streams[n], $"@s{n}_")).Append(";\n");
        command.CommandText = sql.ToString();
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// One stream's INSERT … SELECT, its values bound to <paramref name="command"/> under names that begin with
    /// <paramref name="prefix"/>. It inserts the stream's events in version order (so their positions follow their
    /// versions), only when the stream is at the expected version (that version's event exists, or the stream is
    /// new), and records a time never earlier than that event's: a stream's times only go forward, so "as of T"
    /// is a prefix of it.
    /// </summary>
    static string Statement(StoreConnection store, DbCommand command, PreparedAppend prepared, PreparedStream stream, string prefix)
    {
        store.Bind(command, prefix + "s", stream.StreamId);
        store.Bind(command, prefix + "c", StreamIds.Category(stream.StreamId));
        store.Bind(command, prefix + "e", stream.ExpectedVersion);
        store.Bind(command, prefix + "correlation", prepared.CorrelationId, System.Data.DbType.Guid);
        store.Bind(command, prefix + "causation", prepared.CausationId, System.Data.DbType.Guid);
        store.Bind(command, prefix + "trace", prepared.TraceParent);
        store.Bind(command, prefix + "now", prepared.Now);
        var rows = new List<string>(stream.Events.Count);
        foreach (var @event in stream.Events)
        {
            var p = $"{prefix}{@event.Version}_";
            store.Bind(command, p + "v", @event.Version);
            store.Bind(command, p + "t", @event.Type);
            store.Bind(command, p + "sv", @event.SchemaVersion);
            store.Bind(command, p + "d", @event.Data);
            store.Bind(command, p + "m", @event.MessageId);
            store.Bind(command, p + "o", @event.OccurredAt, System.Data.DbType.DateTimeOffset);
            rows.Add($"({p}v, {p}t, {p}sv, {p}d, {p}m, {p}o)");
        }
        return $"""
            INSERT INTO {StoredEventMap.Table} ({Columns})
            SELECT {prefix}c, {prefix}s, e.column1, e.column2, e.column3, e.column4, e.column5, e.column6, {prefix}correlation, {prefix}causation, {prefix}trace,
                {store.Later(prefix + "now", "previous.at")}
            FROM (VALUES {string.Join(", ", rows)}) AS e
            CROSS JOIN (SELECT MAX("RecordedAt") AS at, COUNT(*) AS found FROM {StoredEventMap.Table}
                        WHERE "Category" = {prefix}c AND "StreamId" = {prefix}s AND "Version" = {prefix}e) AS previous
            WHERE {prefix}e = 0 OR previous.found = 1
            ORDER BY e.column1
            """;
    }

    /// <summary>
    /// The event's id and the time it happened: as its writer gave them; else, for an event this unit of work also
    /// sent as a message, that message's id and sent time; for the message being handled, the time it was sent. So
    /// the stream names and dates an event as its topic does. Null time: it happened when it is recorded.
    /// </summary>
    (Guid MessageId, DateTime? OccurredAt) Identity(NewEvent @event, Guid? handledId, DateTime? handledSentAt)
    {
        var sent = sentMessages?.Find(@event.Data) is { } s && (@event.MessageId is null || @event.MessageId == s.MessageId) ? s : null;
        var messageId = @event.MessageId ?? sent?.MessageId ?? NewId.NextGuid();
        var occurredAt = @event.OccurredAt ?? sent?.SentAt ?? (messageId == handledId ? handledSentAt : null);
        return (messageId, occurredAt is { } time ? StreamAggregator.Microseconds(time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : time) : null);
    }
}
