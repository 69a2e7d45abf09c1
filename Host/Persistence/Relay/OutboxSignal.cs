namespace SagaEngine.Host.Persistence.Relay;

/// <summary>
/// Wakes the relay before its next poll: many notifications while it works count as one. Also keeps the
/// earliest due time of the scheduled messages this process wrote, so the relay need not ask the
/// database for it after every round.
/// </summary>
public sealed class OutboxSignal
{
    readonly SemaphoreSlim _signal = new(0, 1);
    long _earliestScheduledTicks = long.MaxValue;

    /// <summary>A message due at <paramref name="dueAt"/> (UTC) was written (its transaction may still roll back: then the relay finds nothing due).</summary>
    public void Scheduled(DateTime dueAt)
    {
        var ticks = dueAt.Ticks;
        for (var seen = Interlocked.Read(ref _earliestScheduledTicks); ticks < seen;)
        {
            var was = Interlocked.CompareExchange(ref _earliestScheduledTicks, ticks, seen);
            if (was == seen)
                break;
            seen = was;
        }
    }

    /// <summary>The earliest due time written since the last call, if any; forgets it.</summary>
    public DateTime? TakeEarliestScheduled()
    {
        var ticks = Interlocked.Exchange(ref _earliestScheduledTicks, long.MaxValue);
        return ticks == long.MaxValue ? null : new DateTime(ticks, DateTimeKind.Utc);
    }

    public void Notify()
    {
        lock (_signal)
            if (_signal.CurrentCount == 0)
                _signal.Release();
    }

    /// <summary>True when notified, false when the timeout passed first.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _signal.WaitAsync(timeout, cancellationToken);
}
