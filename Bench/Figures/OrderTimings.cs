using SagaEngine.Bench.Api;
using SagaEngine.Bench.Load;

namespace SagaEngine.Bench.Figures;

/// <summary>
/// Throughput and latency from the host's own clock: an order's <c>createdAt</c> (when the API accepted
/// it) and the time of its terminal transition in <c>history</c>. Polling only learns that an order
/// ended; it never sets the latency, so the poll interval cannot inflate it.
/// </summary>
public sealed record OrderTimings(double? OrdersPerSecond, double? P50Ms, double? P95Ms, double? P99Ms, double? MaxMs)
{
    public static OrderTimings Of(IEnumerable<SubmittedOrder> measured, IReadOnlyDictionary<Guid, ObservedOrder?> observed)
    {
        var ended = measured
            .Select(o => o.Outcome.OrderId is { } id ? observed.GetValueOrDefault(id) : null)
            .Where(o => o is { HasEnded: true, TerminalTransition: not null })
            .Select(o => (Created: o!.CreatedAt, Ended: o.TerminalTransition!.At))
            .ToList();
        if (ended.Count == 0)
            return new(null, null, null, null, null);

        var latencies = ended.Select(o => (o.Ended - o.Created).TotalMilliseconds).Order().ToList();
        // From the first order accepted to the last one ended: the drain is part of the work, not extra.
        var span = ended.Max(o => o.Ended) - ended.Min(o => o.Created);
        return new(
            span > TimeSpan.Zero ? ended.Count / span.TotalSeconds : null,
            Percentiles.Of(latencies, 0.50), Percentiles.Of(latencies, 0.95), Percentiles.Of(latencies, 0.99), latencies[^1]);
    }
}
