using SagaEngine.Bench.Metrics;
using SagaEngine.Bench.Verification;

namespace SagaEngine.Bench.Figures;

/// <summary>
/// What one run measured. Latencies are in milliseconds; null means the figure could not be measured
/// (reported as n/a), never zero.
/// </summary>
public sealed record RunFigures
{
    public required int Run { get; init; }
    public required int WarmupOrders { get; init; }
    public required int Offered { get; init; }
    public required int Accepted { get; init; }
    public required int Completed { get; init; }
    public double? OrdersPerSecond { get; init; }
    public double? LatencyP50Ms { get; init; }
    public double? LatencyP95Ms { get; init; }
    public double? LatencyP99Ms { get; init; }
    public double? LatencyMaxMs { get; init; }
    public double? PostP50Ms { get; init; }
    public double? PostP99Ms { get; init; }
    public MetricFigure? RelayDelayP50Ms { get; init; }
    public MetricFigure? RelayDelayP99Ms { get; init; }
    public MetricFigure? DbTransactionsPerOrder { get; init; }
    public double? CpuPercentOfOneCore { get; init; }
    public double? CpuPercentOfAllCores { get; init; }
    public double? PeakMemoryMiB { get; init; }

    /// <summary>The benchmark process itself over the measured window: it shares the machine with the host.</summary>
    public double? ClientCpuPercentOfOneCore { get; init; }

    /// <summary>The whole machine busy over the measured window, as a percentage of all cores: host, benchmark and anything else.</summary>
    public double? MachineCpuBusyPercent { get; init; }
    public required double MaxScheduleLagMs { get; init; }
    public required bool Drained { get; init; }
    public required double DrainSeconds { get; init; }
    public required double PollsPerOrder { get; init; }
    public required VerificationReport Verification { get; init; }

    /// <summary>Correct, and every order ended within the drain timeout.</summary>
    public bool Passed => Drained && Verification.Passed;
}
