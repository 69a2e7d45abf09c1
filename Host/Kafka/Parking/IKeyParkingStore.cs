using Confluent.Kafka;

namespace SagaEngine.Host.Kafka.Parking;

/// <summary>
/// Where a partition's parked keys and their records are kept, durably: a record is only taken off its
/// partition (its offset stored) once it is here. Called by the partition's owner alone, one call at a
/// time per partition.
/// </summary>
public interface IKeyParkingStore
{
    /// <summary>The partition's parked keys.</summary>
    Task<IReadOnlyList<ParkedKeyState>> Keys(ParkingPartition partition, CancellationToken cancellationToken);

    /// <summary>
    /// Parks a key whose record failed: the key, to be tried again at <paramref name="retryAt"/>, and the
    /// record as its first. With <paramref name="retryAt"/> null the record was dead-lettered, and the key is
    /// held behind it (no record parked) until an operator releases it.
    /// </summary>
    Task Park(ParkingPartition partition, string endpoint, ConsumeResult<string, byte[]> record, int attempts, DateTime? retryAt,
        string error, CancellationToken cancellationToken);

    /// <summary>Parks a later record of a parked key behind the others; one already parked is left as it is.</summary>
    Task Append(ParkingPartition partition, ConsumeResult<string, byte[]> record, CancellationToken cancellationToken);

    /// <summary>The key's first parked record (lowest offset), or null when none is left.</summary>
    Task<ConsumeResult<string, byte[]>?> First(ParkingPartition partition, string key, CancellationToken cancellationToken);

    /// <summary>The first record is done with: it goes, and the next one is tried at once.</summary>
    Task Done(ParkingPartition partition, string key, long offset, CancellationToken cancellationToken);

    /// <summary>The first record failed again and is to be tried again at <paramref name="retryAt"/>.</summary>
    Task Failed(ParkingPartition partition, string key, int attempts, DateTime retryAt, string error, CancellationToken cancellationToken);

    /// <summary>The first record was dead-lettered: it goes, and the key is held behind it until an operator releases it.</summary>
    Task DeadLettered(ParkingPartition partition, string key, long offset, int attempts, string error, CancellationToken cancellationToken);

    /// <summary>Removes the key when no record of it is parked any more; false (and nothing removed) otherwise.</summary>
    Task<bool> Unpark(ParkingPartition partition, string key, CancellationToken cancellationToken);
}
