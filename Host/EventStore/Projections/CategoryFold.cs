using Microsoft.EntityFrameworkCore;
using SagaEngine.EventSourcing;

namespace SagaEngine.Host.EventStore.Projections;

/// <summary>Folds every stream of a category from its first event, in one pass over the category's index range.</summary>
public sealed class CategoryFold(DbContext db, EventTypeRegistry types)
{
    /// <summary>Each stream's state and version, from all its events committed when the read began.</summary>
    public async Task<(Dictionary<string, ProjectedRow> Streams, long Events)> All(IStreamFold fold, CancellationToken cancellationToken)
    {
        var streams = new Dictionary<string, ProjectedRow>(StringComparer.Ordinal);
        var events = 0L;
        var store = new StoreConnection(db);
        await using var open = await store.Open(cancellationToken);
        await using var command = store.Command(
            $"SELECT \"StreamId\", \"Version\", \"Type\", \"SchemaVersion\", \"Data\" FROM {StoredEventMap.Table} " +
            "WHERE \"Category\" = @c ORDER BY \"StreamId\", \"Version\"");
        store.Bind(command, "@c", fold.Category);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        string? current = null;
        object state = fold.Initial;
        long version = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            var streamId = reader.GetString(0);
            if (streamId != current)
            {
                if (current is not null)
                    streams[current] = new ProjectedRow(current, version, state);
                (current, state) = (streamId, fold.Initial);
            }
            state = fold.Apply(state, types.Deserialize(reader.GetString(2), reader.GetInt32(3), reader.GetString(4)));
            version = reader.GetInt64(1);
            events++;
        }
        if (current is not null)
            streams[current] = new ProjectedRow(current, version, state);
        return (streams, events);
    }

    /// <summary>Folds the events of one stream after <paramref name="from"/>'s version onto its state, up to <paramref name="upTo"/> (all when null).</summary>
    public async Task<ProjectedRow> Tail(IStreamFold fold, ProjectedRow from, long? upTo, CancellationToken cancellationToken)
    {
        var store = new StoreConnection(db);
        await using var open = await store.Open(cancellationToken);
        await using var command = store.Command(
            $"SELECT \"Version\", \"Type\", \"SchemaVersion\", \"Data\" FROM {StoredEventMap.Table} " +
            $"WHERE \"Category\" = @c AND \"StreamId\" = @s AND \"Version\" > @after{(upTo is null ? "" : " AND \"Version\" <= @upTo")} ORDER BY \"Version\"");
        store.Bind(command, "@c", fold.Category);
        store.Bind(command, "@s", from.StreamId);
        store.Bind(command, "@after", from.Version);
        if (upTo is { } last)
            store.Bind(command, "@upTo", last);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var (state, version) = (from.State, from.Version);
        while (await reader.ReadAsync(cancellationToken))
        {
            state = fold.Apply(state, types.Deserialize(reader.GetString(1), reader.GetInt32(2), reader.GetString(3)));
            version = reader.GetInt64(0);
        }
        return new ProjectedRow(from.StreamId, version, state);
    }
}
