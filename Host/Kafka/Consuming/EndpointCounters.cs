namespace SagaEngine.Host.Kafka.Consuming;

/// <summary>What one endpoint has done with its records since it started, and what it is doing now.</summary>
public sealed class EndpointCounters
{
    long _processed;
    long _notHandled;
    long _unreadable;
    long _failed;
    long _deadLettered;
    long _parked;
    int _inFlight;
    int _waitingForSlot;

    public void Processed() => Interlocked.Increment(ref _processed);

    public void NotHandled() => Interlocked.Increment(ref _notHandled);

    public void Unreadable() => Interlocked.Increment(ref _unreadable);

    public void Failed() => Interlocked.Increment(ref _failed);

    public void DeadLettered() => Interlocked.Increment(ref _deadLettered);

    public void Parked() => Interlocked.Increment(ref _parked);

    public void WaitingForSlot(int change) => Interlocked.Add(ref _waitingForSlot, change);

    public void InFlight(int change) => Interlocked.Add(ref _inFlight, change);

    public EndpointCountersSnapshot Snapshot() => new(
        Interlocked.Read(ref _processed), Interlocked.Read(ref _notHandled), Interlocked.Read(ref _unreadable),
        Interlocked.Read(ref _failed), Interlocked.Read(ref _deadLettered), Volatile.Read(ref _inFlight), Volatile.Read(ref _waitingForSlot),
        Interlocked.Read(ref _parked));
}

/// <param name="Processed">Records dispatched successfully.</param>
/// <param name="NotHandled">Records of a message type none of the endpoint's handlers consumes: skipped.</param>
/// <param name="Unreadable">Records without a usable message type header or JSON body, or with a body over Kafka:MaxRecordBytes.</param>
/// <param name="Failed">Dispatches that threw after the endpoint's retry policy (each attempt counts).</param>
/// <param name="DeadLettered">Records handed to the failed-record handler that it dealt with (dead-lettered), so the partition moved on.</param>
/// <param name="InFlight">Records being processed right now (at most one per partition).</param>
/// <param name="WaitingForSlot">Partitions with a record ready but waiting because the endpoint's concurrency limit is reached.</param>
/// <param name="Parked">Records taken off their partition into the parked keys: each that failed first, and each that arrived behind one.</param>
public sealed record EndpointCountersSnapshot(long Processed, long NotHandled, long Unreadable, long Failed, long DeadLettered, int InFlight,
    int WaitingForSlot, long Parked = 0);
