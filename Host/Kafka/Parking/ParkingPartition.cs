using Confluent.Kafka;

namespace SagaEngine.Host.Kafka.Parking;

/// <summary>One partition of a topic as one consumer group reads it: where parked keys belong.</summary>
public readonly record struct ParkingPartition(string Group, string Topic, int Partition)
{
    public static ParkingPartition Of(string group, TopicPartition partition) => new(group, partition.Topic, partition.Partition.Value);

    public override string ToString() => $"{Topic}[{Partition}] ({Group})";
}

/// <summary>A parked key as its partition's owner needs it: when to try it next, and whether an operator holds it.</summary>
/// <param name="Key">The parked key.</param>
/// <param name="Attempts">Failed deliveries of its first parked record so far.</param>
/// <param name="RetryAt">When to try its first parked record again; null while held.</param>
public readonly record struct ParkedKeyState(string Key, int Attempts, DateTime? RetryAt);
