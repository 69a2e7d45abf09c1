namespace SagaEngine.Host.Kafka.Producing;

/// <summary>What became of one produced record: acknowledged at a partition and offset, or failed with a reason.</summary>
public sealed record KafkaDelivery(KafkaRecord Record, bool Delivered, int? Partition, long? Offset, string? Error)
{
    public static KafkaDelivery Acknowledged(KafkaRecord record, int partition, long offset) => new(record, true, partition, offset, null);

    public static KafkaDelivery Failed(KafkaRecord record, string error) => new(record, false, null, null, error);
}
