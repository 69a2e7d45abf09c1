namespace SagaEngine.Bench.Metrics;

/// <summary>A figure read from the host's metrics, with the series it came from.</summary>
public sealed record MetricFigure(double Value, string Series);

/// <summary>
/// The host's metrics over the measured window: what changed between the scrape at its start and the
/// one at its end, so warm-up orders do not count.
/// </summary>
public sealed record HostMetricsWindow(MetricFigure? RelayDelayP50Ms, MetricFigure? RelayDelayP99Ms, MetricFigure? DbTransactionsPerOrder)
{
    public static HostMetricsWindow Between(PrometheusText before, PrometheusText after, int ordersEnded)
    {
        MetricFigure? p50 = null, p99 = null, perOrder = null;

        if (HostMetricNames.OutboxRelayDelaySeconds.FirstOrDefault(n => after.Histogram(n) is not null) is { } relay)
        {
            var window = after.Histogram(relay)!.Since(before.Histogram(relay));
            if (window.Quantile(0.50) is { } q50)
                p50 = new(q50 * 1000, relay);
            if (window.Quantile(0.99) is { } q99)
                p99 = new(q99 * 1000, relay);
        }

        if (HostMetricNames.DbTransactions.FirstOrDefault(after.Has) is { } transactions && ordersEnded > 0)
            perOrder = new((after.Total(transactions)!.Value - (before.Total(transactions) ?? 0)) / ordersEnded, transactions);

        return new(p50, p99, perOrder);
    }
}
