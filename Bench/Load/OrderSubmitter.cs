using SagaEngine.Bench.Api;
using SagaEngine.Bench.Orders;

namespace SagaEngine.Bench.Load;

/// <summary>
/// Sends the next planned order, logs it, and hands an accepted one to the tracker. Indexes run on
/// across phases so that warm-up and measured orders are one deterministic sequence.
/// </summary>
public sealed class OrderSubmitter(SagaEngineClient client, OrderPlanner planner, SubmissionLog log, CompletionTracker tracker)
{
    long _nextIndex = -1;

    /// <summary>Completes when the POST answered; the returned task (if any) completes when the order ended.</summary>
    public async Task<Task?> SubmitNextAsync(RunPhase phase, CancellationToken cancellationToken)
    {
        var plan = planner.Plan(Interlocked.Increment(ref _nextIndex));
        var outcome = await client.SubmitAsync(plan, cancellationToken);
        log.Add(new SubmittedOrder(plan, phase, outcome));
        return outcome.OrderId is { } id ? tracker.Track(id) : null;
    }
}
