namespace SagaEngine.Bench.Metrics;

/// <summary>A figure read from the host's metrics, with the series it came from.</summary>
public sealed record MetricFigure(double Value, string Series);

/// <summary>
/// The host's metrics over the measured window: what changed between the scrape at its start and the
/// one at its end, so warm-up orders do not count. Per-order figures divide by the orders that ended.
/// </summary>
public sealed record HostMetricsWindow
{
    public MetricFigure? RelayDelayP50Ms { get; init; }
    public MetricFigure? RelayDelayP99Ms { get; init; }
    public MetricFigure? DbTransactionsPerOrder { get; init; }

    /// <summary>Commands plus committed transactions per order: what the database was asked, each a round trip.</summary>
    public MetricFigure? DbRoundTripsPerOrder { get; init; }

    public MetricFigure? CpuMsPerOrder { get; init; }
    public MetricFigure? ExceptionsPerOrder { get; init; }

    /// <summary>The exception types thrown in the window, most frequent first, with their counts.</summary>
    public IReadOnlyList<(string Type, double Count)> ExceptionTypes { get; init; } = [];

    public MetricFigure? JitMethodsPerSecond { get; init; }
    public MetricFigure? AllocatedKiBPerOrder { get; init; }

    public IEnumerable<MetricFigure> Figures =>
        new[] { RelayDelayP50Ms, RelayDelayP99Ms, DbTransactionsPerOrder, DbRoundTripsPerOrder, CpuMsPerOrder, ExceptionsPerOrder,
            JitMethodsPerSecond, AllocatedKiBPerOrder }.OfType<MetricFigure>();

    public static HostMetricsWindow Between(PrometheusText before, PrometheusText after, int ordersEnded, TimeSpan? window = null)
    {
        MetricFigure? p50 = null, p99 = null;
        if (HostMetricNames.OutboxRelayDelaySeconds.FirstOrDefault(n => after.Histogram(n) is not null) is { } relay)
        {
            var histogram = after.Histogram(relay)!.Since(before.Histogram(relay));
            if (histogram.Quantile(0.50) is { } q50)
                p50 = new(q50 * 1000, relay);
            if (histogram.Quantile(0.99) is { } q99)
                p99 = new(q99 * 1000, relay);
        }

        var transactions = PerOrder(HostMetricNames.DbTransactions, before, after, ordersEnded);
        var commands = PerOrder(HostMetricNames.DbCommands, before, after, ordersEnded);
        var exceptions = PerOrder(HostMetricNames.Exceptions, before, after, ordersEnded);
        return new HostMetricsWindow
        {
            RelayDelayP50Ms = p50,
            RelayDelayP99Ms = p99,
            DbTransactionsPerOrder = transactions,
            DbRoundTripsPerOrder = commands is null || transactions is null
                ? null
                : new(commands.Value + transactions.Value, $"{commands.Series} + {transactions.Series}"),
            CpuMsPerOrder = PerOrder(HostMetricNames.ProcessCpuSeconds, before, after, ordersEnded, scale: 1000),
            ExceptionsPerOrder = exceptions,
            ExceptionTypes = exceptions is null ? [] : TypesOf(exceptions.Series, before, after),
            JitMethodsPerSecond = window is { TotalSeconds: > 0 } w && Delta(HostMetricNames.JitCompiledMethods, before, after) is { } jit
                ? new(jit.Delta / w.TotalSeconds, jit.Series)
                : null,
            AllocatedKiBPerOrder = PerOrder(HostMetricNames.AllocatedBytes, before, after, ordersEnded, scale: 1.0 / 1024)
        };
    }

    static MetricFigure? PerOrder(IReadOnlyList<string> names, PrometheusText before, PrometheusText after, int orders, double scale = 1) =>
        orders > 0 && Delta(names, before, after) is { } d ? new(d.Delta * scale / orders, d.Series) : null;

    /// <summary>The first series of <paramref name="names"/> the host has, and how much it grew; null when it has none.</summary>
    static (double Delta, string Series)? Delta(IReadOnlyList<string> names, PrometheusText before, PrometheusText after) =>
        names.FirstOrDefault(after.Has) is { } series ? (after.Total(series)!.Value - (before.Total(series) ?? 0), series) : null;

    static IReadOnlyList<(string, double)> TypesOf(string series, PrometheusText before, PrometheusText after)
    {
        var earlier = before.TotalsBy(series, HostMetricNames.ExceptionType);
        return after.TotalsBy(series, HostMetricNames.ExceptionType)
            .Select(t => (Type: t.Key, Count: t.Value - earlier.GetValueOrDefault(t.Key)))
            .Where(t => t.Count > 0).OrderByDescending(t => t.Count).ThenBy(t => t.Type, StringComparer.Ordinal).ToList();
    }
}
