using System.Text.Json;

namespace SagaEngine.Host.EventStore;

/// <summary>Events and snapshots are stored as the wire writes messages: camelCase JSON, numbers as numbers.</summary>
public static class EventStoreJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
