namespace SagaEngine.Host.Kafka.Parking;

/// <summary>
/// A key set aside on one partition of one consumer group: a record of it failed, so it and every later
/// record of the key wait in <see cref="ParkedRecord"/> rows, in offset order, while the partition goes on
/// with the other keys. The key is tried again from its first parked record until that record is done
/// (the next one follows) or dead-lettered (the key is then held until an operator replays or discards
/// that dead letter). The row goes once no record of the key is parked any more.
/// </summary>
public sealed class ParkedKey
{
    public long Id { get; set; }

    public required string Endpoint { get; set; }
    public required string Group { get; set; }
    public required string Topic { get; set; }
    public int Partition { get; set; }
    public required string Key { get; set; }

    /// <summary>Failed deliveries of the key's first parked record (the one at the live partition included).</summary>
    public int Attempts { get; set; }

    /// <summary>When the first parked record is tried next (UTC); null while the key is held.</summary>
    public DateTime? RetryAt { get; set; }

    /// <summary>While held: the offset of the dead-lettered record the key waits behind, until that dead letter is replayed or discarded.</summary>
    public long? HeldBy { get; set; }

    /// <summary>Why the first parked record failed last.</summary>
    public string? LastError { get; set; }

    public DateTime ParkedAt { get; set; }
}
