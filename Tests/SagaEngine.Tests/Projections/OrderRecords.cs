using System.Text;
using Confluent.Kafka;
using SagaEngine.Host.Kafka.Producing;
using SagaEngine.Host.Messaging.Schemas;

namespace SagaEngine.Tests.Projections;

/// <summary>Kafka records of order events as the host's relay writes them: stable name, current schema version, sent time, camelCase JSON.</summary>
public static class OrderRecords
{
    static readonly ContractSchemas Schemas = new();

    public static Message<string, byte[]> Of(object message, Guid orderId, DateTime sentAt)
    {
        var schema = Schemas.Find(message.GetType())!;
        var headers = new Headers();
        foreach (var (name, value) in KafkaMessageHeaders.Create(schema.Urn, Guid.NewGuid(), orderId, null, sentAt, schema.Version))
            headers.Add(name, Encoding.UTF8.GetBytes(value));
        return new Message<string, byte[]>
        {
            Key = orderId.ToString(), Value = KafkaJson.Serialize(message, message.GetType()), Headers = headers,
            Timestamp = new Timestamp(sentAt, TimestampType.CreateTime)
        };
    }
}
