namespace SagaEngine.Host.Kafka.Parking;

/// <summary>
/// A record taken off its partition because its key is parked (see <see cref="ParkedKey"/>): everything
/// needed to process it later as if it came from the partition, in the same order.
/// </summary>
public sealed class ParkedRecord
{
    public long Id { get; set; }

    public required string Group { get; set; }
    public required string Topic { get; set; }
    public int Partition { get; set; }
    public long Offset { get; set; }
    public required string Key { get; set; }

    /// <summary>The record's headers, in order, byte for byte: see <see cref="DeadLetters.DeadLetterRecordHeaders"/>.</summary>
    public required string Headers { get; set; }

    public byte[]? Body { get; set; }

    public DateTime ParkedAt { get; set; }
}
