using SagaEngine.Bench.Figures;
using SagaEngine.Bench.Machine;
using SagaEngine.Bench.Options;
using SagaEngine.Bench.Peer;

namespace SagaEngine.Bench.Reporting;

/// <summary>The settings a result was measured with, as they are reported.</summary>
public sealed record SettingsSummary(
    string Load,
    double? Rate,
    int? Concurrency,
    double DurationSeconds,
    double WarmupSeconds,
    double DrainTimeoutSeconds,
    double PollIntervalMs,
    int Runs,
    string Mix,
    string Target,
    string? HostRevision)
{
    public static SettingsSummary Of(BenchOptions o, string? hostRevision) => new(
        o.Mode == LoadMode.FixedRate ? "fixed-rate" : "max",
        o.Mode == LoadMode.FixedRate ? o.Rate : null,
        o.Mode == LoadMode.MaxThroughput ? o.Concurrency : null,
        o.Duration.TotalSeconds,
        o.Warmup.TotalSeconds,
        o.DrainTimeout.TotalSeconds,
        o.PollInterval.TotalMilliseconds,
        o.Runs,
        o.Mix.ToString(),
        o.StartsHost
            ? $"a host started per run from the Release build ({o.Provider.ToString().ToLowerInvariant()}" +
              (o.StartsLocalPostgres ? ", a throwaway local server" : "") +
              (o.HostEnvironment.Count > 0 ? $"; {string.Join(" ", o.HostEnvironment.Select(e => $"{e.Key}={e.Value}"))}" : "") + ")"
            : $"the running host at {o.HostUrl}",
        hostRevision);
}

/// <summary>Everything a benchmark invocation measured: the machine, the settings, each run, and the medians.</summary>
public sealed record BenchResult(MachineInfo Machine, SettingsSummary Settings, IReadOnlyList<RunFigures> Runs)
{
    /// <summary>The Wolverine peer's runs of the same invocation (<c>--compare-peer</c>), or null.</summary>
    public PeerComparison? Peer { get; init; }

    /// <summary>Every run correct, and the peer's too when it ran.</summary>
    public bool Passed => Runs.Count > 0 && Runs.All(r => r.Passed) && Peer?.Passed != false;

    /// <summary>The median of each figure across the runs, keyed as in <see cref="FigureRows"/>.</summary>
    public IReadOnlyDictionary<string, double?> Medians =>
        FigureRows.All.ToDictionary(row => row.Key, row => Percentiles.Median(Runs.Select(row.Value)));
}
