using System.Text.Json;

namespace SagaEngine.Host.Kafka.Producing;

/// <summary>Record bodies: plain camelCase JSON of the message itself, readable by any consumer in any language.</summary>
public static class KafkaJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static byte[] Serialize(object message, Type messageType) => JsonSerializer.SerializeToUtf8Bytes(message, messageType, Options);
}
