namespace SagaEngine.EventSourcing;

/// <summary>
/// How an event type is stored: under a stable <paramref name="Name"/> (not its C# namespace) with the
/// version of its JSON shape. A stored event of an older version is upcast (see <see cref="IEventUpcaster"/>)
/// before it is read.
/// </summary>
public sealed record EventType(string Name, Type ClrType, int SchemaVersion)
{
    /// <summary>Named after the type itself; schema version 1 until its shape changes incompatibly.</summary>
    public static EventType Of<T>(int schemaVersion = 1) => new(typeof(T).Name, typeof(T), schemaVersion);
}
