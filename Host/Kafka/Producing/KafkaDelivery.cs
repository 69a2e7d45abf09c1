namespace SagaEngine.Host.Kafka.Producing;

/// <summary>
/// What became of one produced record: acknowledged at a partition and offset, failed with a reason, or
/// not produced at all (<see cref="NotProduced"/>) because an earlier record of its key in the same batch
/// failed at once, and it must not overtake that one.
/// </summary>
public sealed record KafkaDelivery(KafkaRecord Record, bool Delivered, int? Partition, long? Offset, string? Error, bool NotProduced = false)
{
    public static KafkaDelivery Acknowledged(KafkaRecord record, int partition, long offset) => new(record, true, partition, offset, null);

    public static KafkaDelivery Failed(KafkaRecord record, string error) => new(record, false, null, null, error);

    public static KafkaDelivery Held(KafkaRecord record) =>
        new(record, false, null, null, "Not produced: an earlier record of its key in the batch failed.", NotProduced: true);
}
