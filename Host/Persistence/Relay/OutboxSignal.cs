namespace SagaEngine.Host.Persistence.Relay;

/// <summary>Wakes the relay before its next poll: many notifications while it works count as one.</summary>
public sealed class OutboxSignal
{
    readonly SemaphoreSlim _signal = new(0, 1);

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
