using System.Data.Common;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SagaEngine.EventSourcing;
using SagaEngine.Host.EventStore.Snapshots;

namespace SagaEngine.Host.EventStore;

/// <summary>
/// Folds a stream to its state as of a time: from the newest snapshot at or before that time (of the
/// fold's current state version; others are ignored), then only the events after it that were recorded
/// by then. A stream's times only go forward (see <see cref="SqlEventStreams"/>), so those events are a
/// run of versions and the reading stops at the first later one.
/// </summary>
public sealed class StreamAggregator(DbContext db, EventTypeRegistry types, SnapshotSignal snapshots, IOptions<EventStoreOptions> options)
{
    /// <summary>Events are read in pages of this many, so a read never runs far past the time asked about.</summary>
    public const int PageSize = 1000;

    /// <summary>
    /// The state of <paramref name="streamId"/> as of <paramref name="asOf"/> (now when null); null when the
    /// stream had no event by then. <paramref name="useSnapshots"/> false folds from the first event.
    /// </summary>
    public async Task<StreamState<TState>?> AsOf<TState>(StreamFold<TState> fold, string streamId, DateTime? asOf,
        bool useSnapshots = true, CancellationToken cancellationToken = default)
        where TState : class
    {
        if (!StreamIds.TrySplit(streamId, out var category, out _) || category != fold.Category)
            throw new ArgumentException($"'{streamId}' is not a stream of the category '{fold.Category}'.", nameof(streamId));

        asOf = asOf is { } t ? Microseconds(t) : null;
        var store = new StoreConnection(db);
        await using var open = await store.Open(cancellationToken);
        var start = useSnapshots ? await Snapshot(store, fold, streamId, asOf, cancellationToken) : null;
        var state = start?.State ?? fold.Initial;
        var version = start?.Version ?? 0;
        var recordedAt = start?.RecordedAt ?? DateTime.MinValue;
        var folded = 0;

        var reachedTime = false;
        while (!reachedTime)
        {
            var page = 0;
            await using var command = store.Command(
                $"SELECT \"Version\", \"Type\", \"SchemaVersion\", \"Data\", \"RecordedAt\" FROM {StoredEventMap.Table} " +
                "WHERE \"Category\" = @c AND \"StreamId\" = @s AND \"Version\" > @after ORDER BY \"Version\" LIMIT @limit");
            store.Bind(command, "@c", category);
            store.Bind(command, "@s", streamId);
            store.Bind(command, "@after", version);
            store.Bind(command, "@limit", PageSize);
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
                while (await reader.ReadAsync(cancellationToken))
                {
                    page++;
                    var at = StoreConnection.Utc(reader, 4);
                    if (at > asOf)
                    {
                        reachedTime = true;
                        break;
                    }
                    state = fold.Apply(state, types.Deserialize(reader.GetString(1), reader.GetInt32(2), reader.GetString(3)));
                    (version, recordedAt) = (reader.GetInt64(0), at);
                    folded++;
                }
            reachedTime |= page < PageSize;
        }

        var every = options.Value.SnapshotEvery;
        if (useSnapshots && every > 0 && folded >= every)
            // A snapshot that should have spared this fold is missing or of an older state version.
            snapshots.Due(streamId);
        return version == 0 ? null : new StreamState<TState>(state, version, recordedAt, start?.Version ?? 0, folded);
    }

    /// <summary>
    /// Times are stored to the microsecond (PostgreSQL keeps no finer), so the time asked about is cut to
    /// the microsecond too: then the database and this fold agree on which events came at or before it.
    /// </summary>
    public static DateTime Microseconds(DateTime time) =>
        new(time.Ticks - time.Ticks % 10, DateTimeKind.Utc);

    async Task<StreamState<TState>?> Snapshot<TState>(StoreConnection store, StreamFold<TState> fold, string streamId, DateTime? asOf,
        CancellationToken cancellationToken)
        where TState : class
    {
        await using var command = store.Command(
            $"SELECT \"Version\", \"RecordedAt\", \"State\" FROM {StoredSnapshotMap.Table} " +
            $"WHERE \"StreamId\" = @s AND \"StateVersion\" = @sv{(asOf is null ? "" : " AND \"RecordedAt\" <= @t")} " +
            "ORDER BY \"RecordedAt\" DESC, \"Version\" DESC LIMIT 1");
        store.Bind(command, "@s", streamId);
        store.Bind(command, "@sv", fold.StateVersion);
        if (asOf is { } time)
            store.Bind(command, "@t", time);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            return null;
        try
        {
            var state = JsonSerializer.Deserialize<TState>(reader.GetString(2), EventStoreJson.Options)!;
            return new StreamState<TState>(state, reader.GetInt64(0), StoreConnection.Utc(reader, 1), reader.GetInt64(0), 0);
        }
        catch (JsonException)
        {
            // Unreadable as the current state: as good as missing. Fold from the start; the writer replaces it.
            snapshots.Due(streamId);
            return null;
        }
    }
}
