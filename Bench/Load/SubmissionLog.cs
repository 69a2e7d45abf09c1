using System.Collections.Concurrent;

namespace SagaEngine.Bench.Load;

/// <summary>Every order sent in a run, appended from many tasks at once.</summary>
public sealed class SubmissionLog
{
    readonly ConcurrentQueue<SubmittedOrder> _orders = new();

    public void Add(SubmittedOrder order) => _orders.Enqueue(order);

    public IReadOnlyList<SubmittedOrder> All => _orders.ToArray();

    public IReadOnlyList<SubmittedOrder> In(RunPhase phase) => _orders.Where(o => o.Phase == phase).ToArray();
}
