using System.Text.Json;

namespace SagaEngine.Host.Persistence.Outbox;

/// <summary>
/// How outbox bodies are written and read: plain camelCase JSON with numbers as numbers, so that any
/// consumer in any language can read what a transport carries.
/// </summary>
public static class OutboxJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
