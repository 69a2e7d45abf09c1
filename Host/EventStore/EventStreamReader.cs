using Microsoft.EntityFrameworkCore;
using SagaEngine.EventSourcing;

namespace SagaEngine.Host.EventStore;

/// <summary>Reads one stream's events in version order, as stored (no upcasting: the JSON and its schema version as written).</summary>
public sealed class EventStreamReader(DbContext db)
{
    public async Task<IReadOnlyList<RecordedEvent>> Read(string streamId, long fromVersion, int limit, CancellationToken cancellationToken)
    {
        if (!StreamIds.TrySplit(streamId, out var category, out _))
            return [];
        var store = new StoreConnection(db);
        await using var open = await store.Open(cancellationToken);
        await using var command = store.Command(
            $"{EventRows.Select} WHERE \"Category\" = @c AND \"StreamId\" = @s AND \"Version\" >= @from ORDER BY \"Version\" LIMIT @limit");
        store.Bind(command, "@c", category);
        store.Bind(command, "@s", streamId);
        store.Bind(command, "@from", fromVersion);
        store.Bind(command, "@limit", limit);
        return await EventRows.ReadAll(command, cancellationToken);
    }

    /// <summary>The stream's last version; 0 when it has no events.</summary>
    public async Task<long> Version(string streamId, CancellationToken cancellationToken)
    {
        var category = StreamIds.Category(streamId);
        var store = new StoreConnection(db);
        await using var open = await store.Open(cancellationToken);
        await using var command = store.Command(
            $"SELECT MAX(\"Version\") FROM {StoredEventMap.Table} WHERE \"Category\" = @c AND \"StreamId\" = @s");
        store.Bind(command, "@c", category);
        store.Bind(command, "@s", streamId);
        return await command.ExecuteScalarAsync(cancellationToken) is long version ? version : 0;
    }
}
