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

namespace SagaEngine.Host.EventStore;

/// <summary>
/// Appends to the <c>events</c> table on the scope's DbContext, inside its current transaction (or a
/// transaction of its own when there is none), so that events commit with whatever else the caller wrote.
/// </summary>
public sealed class SqlEventStreams(
    DbContext db, EventTypeRegistry types, AmbientEventMetadata ambient, TimeProvider clock,
    AfterCommit afterCommit, SnapshotSignal snapshots, IOptions<EventStoreOptions> options, SentMessages? sentMessages = null) : IEventStreams
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
        await using var open = await store.Open(cancellationToken);
        var ownTransaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            var inserted = await Insert(store, appends, cancellationToken);
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

    /// <summary>
    /// One INSERT … SELECT per stream, all sent in one round trip, inserting the stream's events in version
    /// order (so their positions follow their versions). Each inserts only when its stream is at
    /// the expected version (that version's event exists, or the stream is new), and records a time never
    /// earlier than that event's: a stream's times only go forward, so "as of T" is a prefix of it.
    /// </summary>
    async Task<int> Insert(StoreConnection store, IReadOnlyList<StreamAppend> appends, CancellationToken cancellationToken)
    {
        var now = StreamAggregator.Microseconds(clock.GetUtcNow().UtcDateTime);
        var (correlationId, causationId, traceParent, causeSentAt) = ambient.Current();
        var sql = new StringBuilder();
        await using var command = store.Command("");
        if (store.IsPostgres)
            // The global feed's guarantee rests on this: a transaction has its id before it takes a position
            // (see GlobalFeed). Most callers' transactions have written before; this makes sure.
            sql.Append("SELECT pg_current_xact_id();\n");

        for (var n = 0; n < appends.Count; n++)
        {
            var append = appends[n];
            store.Bind(command, $"@s{n}", append.StreamId);
            store.Bind(command, $"@c{n}", StreamIds.Category(append.StreamId));
            store.Bind(command, $"@e{n}", append.ExpectedVersion);
            var rows = new List<string>(append.Events.Count);
            var version = append.ExpectedVersion;
            foreach (var @event in append.Events)
            {
                var type = types.Of(@event.Data.GetType());
                var p = $"@p{n}_{++version}_";
                store.Bind(command, p + "v", version);
                store.Bind(command, p + "t", type.Name);
                store.Bind(command, p + "sv", type.SchemaVersion);
                store.Bind(command, p + "d", JsonSerializer.Serialize(@event.Data, type.ClrType, EventStoreJson.Options));
                var (messageId, occurredAt) = Identity(@event, causationId, causeSentAt);
                store.Bind(command, p + "m", messageId);
                store.Bind(command, p + "o", occurredAt, System.Data.DbType.DateTimeOffset);
                rows.Add($"({p}v, {p}t, {p}sv, {p}d, {p}m, {p}o)");
            }
            sql.Append($"""
                INSERT INTO {StoredEventMap.Table} ({Columns})
                SELECT @c{n}, @s{n}, e.column1, e.column2, e.column3, e.column4, e.column5, e.column6, @correlation, @causation, @trace,
                    {store.Later("@now", "previous.at")}
                FROM (VALUES {string.Join(", ", rows)}) AS e
                CROSS JOIN (SELECT MAX("RecordedAt") AS at, COUNT(*) AS found FROM {StoredEventMap.Table}
                            WHERE "Category" = @c{n} AND "StreamId" = @s{n} AND "Version" = @e{n}) AS previous
                WHERE @e{n} = 0 OR previous.found = 1
                ORDER BY e.column1;

                """);
        }
        store.Bind(command, "@correlation", correlationId, System.Data.DbType.Guid);
        store.Bind(command, "@causation", causationId, System.Data.DbType.Guid);
        store.Bind(command, "@trace", traceParent);
        store.Bind(command, "@now", now);
        command.CommandText = sql.ToString();
        return await command.ExecuteNonQueryAsync(cancellationToken);
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
