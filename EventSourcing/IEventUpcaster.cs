using System.Text.Json.Nodes;

namespace SagaEngine.EventSourcing;

/// <summary>
/// One step of an event type's upcasting chain: turns the stored JSON of version <see cref="FromVersion"/>
/// into that of version <see cref="FromVersion"/> + 1. Applied when events are read, step by step, until
/// the event is at its type's current <see cref="EventType.SchemaVersion"/>; what is stored never changes.
/// </summary>
public interface IEventUpcaster
{
    string EventType { get; }

    int FromVersion { get; }

    JsonObject Upcast(JsonObject data);
}
