using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SagaEngine.Host.Projections.Storage;

namespace SagaEngine.Host.Projections;

/// <summary>What a projection applies at once, inside the runner's transaction.</summary>
public sealed class ProjectionBatch
{
    static readonly JsonSerializerOptions StateJson = new(JsonSerializerDefaults.Web);

    readonly IReadOnlyDictionary<string, ProjectionKey> _keys;

    internal ProjectionBatch(DbContext db, ProjectionSlot slot, IReadOnlyList<ProjectionEvent> events, IReadOnlyDictionary<string, ProjectionKey> keys)
    {
        Db = db;
        Slot = slot;
        Events = events;
        _keys = keys;
    }

    /// <summary>The context whose transaction is open; the runner saves it.</summary>
    public DbContext Db { get; }

    /// <summary>The tables to write: those of the version being applied.</summary>
    public ProjectionSlot Slot { get; }

    /// <summary>The events, each stream's in sequence order.</summary>
    public IReadOnlyList<ProjectionEvent> Events { get; }

    /// <summary>The streams the events belong to.</summary>
    public IEnumerable<string> Keys => Events.Select(e => e.Key).Distinct(StringComparer.Ordinal);

    /// <summary>The state this projection keeps for a stream (saved with the stream's bookkeeping row), or default.</summary>
    public T? State<T>(string key) =>
        _keys.TryGetValue(key, out var row) && row.State is { } json ? JsonSerializer.Deserialize<T>(json, StateJson) : default;

    /// <summary>Replaces a stream's state; null removes it.</summary>
    public void SetState<T>(string key, T? state)
    {
        if (!_keys.TryGetValue(key, out var row))
            throw new InvalidOperationException($"Stream '{key}' is not part of this batch.");
        row.State = state is null ? null : JsonSerializer.Serialize(state, StateJson);
    }
}
