using SagaEngine.Bench.Figures;

namespace SagaEngine.Bench.Peer;

/// <summary>One figure of both systems, as medians of their runs, and ours divided by the peer's.</summary>
public sealed record ComparedFigure(string Label, double? Ours, double? Peer, string Format)
{
    public double? Ratio => Ours is { } o && Peer is { } p && p != 0 ? o / p : null;
}

/// <summary>The peer's runs of an invocation, and the figures both systems have, side by side.</summary>
public sealed record PeerComparison(string Directory, IReadOnlyList<string> Arguments, IReadOnlyList<PeerRunFigures> Runs)
{
    public bool Passed => Runs.Count > 0 && Runs.All(r => r.Passed);

    public IReadOnlyList<ComparedFigure> Against(IReadOnlyList<RunFigures> ours) =>
    [
        new("orders/s completed", Percentiles.Median(ours.Select(r => r.OrdersPerSecond)), Median(r => r.Output.OrdersPerSecond), "0.0"),
        new("submit-to-terminal p50 (ms)", Percentiles.Median(ours.Select(r => r.LatencyP50Ms)), Median(r => r.Output.P50Ms), "0.0"),
        new("submit-to-terminal p95 (ms)", Percentiles.Median(ours.Select(r => r.LatencyP95Ms)), Median(r => r.Output.P95Ms), "0.0"),
        new("submit-to-terminal p99 (ms)", Percentiles.Median(ours.Select(r => r.LatencyP99Ms)), Median(r => r.Output.P99Ms), "0.0"),
        new("process CPU per order (ms)", Percentiles.Median(ours.Select(r => r.CpuMsPerOrder?.Value)), Median(r => r.CpuMsPerOrder), "0.00")
    ];

    /// <summary>
    /// Orders/s of each of our runs over the peer's run right after it: each pair ran under the same load, so
    /// these drift less with the machine than the ratio of the medians.
    /// </summary>
    public IReadOnlyList<double?> PairRatios(IReadOnlyList<RunFigures> ours) =>
        ours.Zip(Runs, (o, p) => o.OrdersPerSecond is { } mine && p.Output.OrdersPerSecond is { } theirs && theirs != 0 ? mine / theirs : (double?)null)
            .ToList();

    double? Median(Func<PeerRunFigures, double?> figure) => Percentiles.Median(Runs.Select(figure));
}
