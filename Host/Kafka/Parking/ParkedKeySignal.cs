namespace SagaEngine.Host.Kafka.Parking;

/// <summary>
/// Wakes this process's partition owners when an operator released a held key, so that they try it at
/// once rather than at their next look (owners in other processes find it then).
/// </summary>
public sealed class ParkedKeySignal
{
    TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next <see cref="Notify"/>.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    public void Notify() =>
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
