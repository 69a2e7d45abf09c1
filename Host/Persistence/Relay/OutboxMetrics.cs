namespace SagaEngine.Host.Persistence.Relay;

/// <summary>What this process's relay has delivered since it started.</summary>
public sealed class OutboxMetrics(TimeProvider clock)
{
    long _delivered;

    public DateTime StartedAt { get; } = clock.GetUtcNow().UtcDateTime;

    public long Delivered => Interlocked.Read(ref _delivered);

    public void RecordDelivered(int count) => Interlocked.Add(ref _delivered, count);
}
