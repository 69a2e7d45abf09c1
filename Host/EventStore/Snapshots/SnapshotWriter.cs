using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SagaEngine.EventSourcing;

namespace SagaEngine.Host.EventStore.Snapshots;

/// <summary>
/// Writes the snapshots the <see cref="SnapshotSignal"/> names, outside the transactions that append, so
/// appends stay as cheap as one insert. For a stream, it starts from its newest snapshot of the fold's
/// current state version (or the first event), folds forward and keeps a snapshot at every multiple of
/// <c>EventStore:SnapshotEvery</c>, replacing one of an older state version found there. Snapshots are
/// a cache: one missing or late makes a query fold more, never answer differently.
/// </summary>
public sealed class SnapshotWriter(IServiceScopeFactory scopes, SnapshotSignal signal, ILogger<SnapshotWriter> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var streamId = await signal.Next(stoppingToken);
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var written = await scope.ServiceProvider.GetRequiredService<SnapshotCatchUp>().Run(streamId, stoppingToken);
                if (written > 0)
                    logger.LogDebug("Wrote {Count} snapshots of {StreamId}", written, streamId);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Snapshots of {StreamId} could not be written; queries fold from an earlier one meanwhile", streamId);
            }
        }
    }
}

/// <summary>One stream's snapshots brought up to date (see <see cref="SnapshotWriter"/>).</summary>
public sealed class SnapshotCatchUp(DbContext db, EventTypeRegistry types, IOptions<EventStoreOptions> options, TimeProvider clock)
{
    /// <summary>Snapshots written per transaction.</summary>
    const int Batch = 50;

    /// <summary>Writes the stream's missing snapshots; how many it wrote.</summary>
    public async Task<int> Run(string streamId, CancellationToken cancellationToken)
    {
        var every = options.Value.SnapshotEvery;
        if (every <= 0 || !StreamIds.TrySplit(streamId, out var category, out _) || types.FoldOf(category) is not { } fold)
            return 0;

        var store = new StoreConnection(db);
        await using var open = await store.Open(cancellationToken);
        var (version, state) = await Newest(store, fold, streamId, cancellationToken);
        var pending = new List<(long Version, DateTime RecordedAt, string State)>();
        var written = 0;
        while (true)
        {
            var page = 0;
            await using (var command = store.Command(
                             $"SELECT \"Version\", \"Type\", \"SchemaVersion\", \"Data\", \"RecordedAt\" FROM {StoredEventMap.Table} " +
                             "WHERE \"Category\" = @c AND \"StreamId\" = @s AND \"Version\" > @after ORDER BY \"Version\" LIMIT @limit"))
            {
                store.Bind(command, "@c", category);
                store.Bind(command, "@s", streamId);
                store.Bind(command, "@after", version);
                store.Bind(command, "@limit", StreamAggregator.PageSize);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    page++;
                    state = fold.Apply(state, types.Deserialize(reader.GetString(1), reader.GetInt32(2), reader.GetString(3)));
                    version = reader.GetInt64(0);
                    if (version % every == 0)
                        pending.Add((version, StoreConnection.Utc(reader, 4), JsonSerializer.Serialize(state, fold.StateType, EventStoreJson.Options)));
                }
            }
            if (pending.Count >= Batch || page < StreamAggregator.PageSize && pending.Count > 0)
            {
                written += await Write(store, streamId, fold.StateVersion, pending, cancellationToken);
                pending.Clear();
            }
            if (page < StreamAggregator.PageSize)
                return written;
        }
    }

    /// <summary>The newest snapshot of the fold's state version, or the state before the first event.</summary>
    static async Task<(long Version, object State)> Newest(StoreConnection store, IStreamFold fold, string streamId, CancellationToken cancellationToken)
    {
        await using var command = store.Command(
            $"SELECT \"Version\", \"State\" FROM {StoredSnapshotMap.Table} WHERE \"StreamId\" = @s AND \"StateVersion\" = @sv " +
            "ORDER BY \"Version\" DESC LIMIT 1");
        store.Bind(command, "@s", streamId);
        store.Bind(command, "@sv", fold.StateVersion);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (await reader.ReadAsync(cancellationToken))
            try
            {
                return (reader.GetInt64(0), JsonSerializer.Deserialize(reader.GetString(1), fold.StateType, EventStoreJson.Options)!);
            }
            catch (JsonException)
            {
                // Unreadable: start from the first event and write it again.
            }
        return (0, fold.Initial);
    }

    async Task<int> Write(StoreConnection store, string streamId, int stateVersion,
        List<(long Version, DateTime RecordedAt, string State)> snapshots, CancellationToken cancellationToken)
    {
        var sql = new StringBuilder();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await using var command = store.Command("");
        store.Bind(command, "@s", streamId);
        store.Bind(command, "@sv", stateVersion);
        store.Bind(command, "@taken", clock.GetUtcNow().UtcDateTime);
        for (var i = 0; i < snapshots.Count; i++)
        {
            store.Bind(command, $"@v{i}", snapshots[i].Version);
            store.Bind(command, $"@t{i}", snapshots[i].RecordedAt);
            store.Bind(command, $"@st{i}", snapshots[i].State);
            // Replaces a snapshot of another state version at the same place.
            sql.Append($"""
                INSERT INTO {StoredSnapshotMap.Table} ("StreamId", "Version", "RecordedAt", "StateVersion", "State", "TakenAt")
                VALUES (@s, @v{i}, @t{i}, @sv, @st{i}, @taken)
                ON CONFLICT ("StreamId", "Version") DO UPDATE SET "RecordedAt" = excluded."RecordedAt",
                    "StateVersion" = excluded."StateVersion", "State" = excluded."State", "TakenAt" = excluded."TakenAt";

                """);
        }
        command.CommandText = sql.ToString();
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return snapshots.Count;
    }
}
