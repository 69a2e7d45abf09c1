using System.Text.Json;
using System.Text.Json.Nodes;
using SagaEngine.EventSourcing;

namespace SagaEngine.Host.EventStore;

/// <summary>
/// Every event type the store can write and read, by stored name and by CLR type; the folds by stream
/// category; and the upcasters that bring an older stored shape up to the current one when it is read.
/// Built once from what the application registered; an ambiguous registration stops start-up.
/// </summary>
public sealed class EventTypeRegistry
{
    readonly Dictionary<string, EventType> _byName = new(StringComparer.Ordinal);
    readonly Dictionary<Type, EventType> _byType = new();
    readonly Dictionary<string, IStreamFold> _folds = new(StringComparer.Ordinal);
    readonly Dictionary<(string Type, int FromVersion), IEventUpcaster> _upcasters = new();

    public EventTypeRegistry(IEnumerable<IStreamFold> folds, IEnumerable<EventType> eventTypes, IEnumerable<IEventUpcaster> upcasters)
    {
        foreach (var fold in folds)
        {
            if (!_folds.TryAdd(fold.Category, fold))
                throw new InvalidOperationException($"Two folds claim the stream category '{fold.Category}'.");
            foreach (var type in fold.EventTypes)
                Add(type);
        }
        foreach (var type in eventTypes)
            Add(type);
        foreach (var upcaster in upcasters)
            if (!_upcasters.TryAdd((upcaster.EventType, upcaster.FromVersion), upcaster))
                throw new InvalidOperationException($"Two upcasters of event type '{upcaster.EventType}' start at version {upcaster.FromVersion}.");
    }

    public IReadOnlyCollection<IStreamFold> Folds => _folds.Values;

    public IStreamFold? FoldOf(string category) => _folds.GetValueOrDefault(category);

    public EventType Of(Type clrType) =>
        _byType.TryGetValue(clrType, out var type)
            ? type
            : throw new InvalidOperationException($"{clrType.FullName} is not a registered event type: a fold of its stream category must list it.");

    /// <summary>Deserializes a stored event, upcasting it first when it was written in an older shape.</summary>
    public object Deserialize(string typeName, int schemaVersion, string data)
    {
        if (!_byName.TryGetValue(typeName, out var type))
            throw new InvalidOperationException($"The stored event type '{typeName}' is not registered.");
        if (schemaVersion == type.SchemaVersion)
            return JsonSerializer.Deserialize(data, type.ClrType, EventStoreJson.Options)!;
        if (schemaVersion > type.SchemaVersion)
            throw new InvalidOperationException(
                $"A '{typeName}' event of schema version {schemaVersion} was written by a newer release than this one (version {type.SchemaVersion}).");

        // The hook where a type's chain of upcasters applies: v1 -> v2 -> … -> current, on the JSON.
        var json = JsonNode.Parse(data)!.AsObject();
        for (var version = schemaVersion; version < type.SchemaVersion; version++)
            json = _upcasters.TryGetValue((typeName, version), out var upcaster)
                ? upcaster.Upcast(json)
                : throw new InvalidOperationException($"No upcaster takes a '{typeName}' event from schema version {version} to {version + 1}.");
        return json.Deserialize(type.ClrType, EventStoreJson.Options)!;
    }

    void Add(EventType type)
    {
        if (_byName.TryGetValue(type.Name, out var known) && known != type)
            throw new InvalidOperationException($"The event type name '{type.Name}' is registered for {known.ClrType.FullName} and {type.ClrType.FullName}.");
        _byName[type.Name] = type;
        _byType[type.ClrType] = type;
    }
}
