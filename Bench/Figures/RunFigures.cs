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
    public MetricFigure? DbRoundTripsPerOrder { get; init; }

    /// <summary>Host CPU time per completed order, from the host's own runtime metrics (every thread, native ones included).</summary>
    public MetricFigure? CpuMsPerOrder { get; init; }
    public MetricFigure? ExceptionsPerOrder { get; init; }

    /// <summary>The exception types thrown in the measured window, most frequent first.</summary>
    public IReadOnlyList<ExceptionCount> ExceptionTypes { get; init; } = [];
    public MetricFigure? JitMethodsPerSecond { get; init; }
    public MetricFigure? AllocatedKiBPerOrder { get; init; }

    /// <summary>How long the warm-up offered orders, and why it stopped.</summary>
    public WarmupOutcome? Warmup { get; init; }
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

public sealed record ExceptionCount(string Type, double Count);

/// <param name="Seconds">How long warm-up orders were offered.</param>
/// <param name="JitMethodsPerSecond">The host's JIT rate over the warm-up's last step; null when it was not read.</param>
/// <param name="Settled">True when the warm-up ended because that rate had fallen to the limit, false when it reached its maximum
/// first, null when it had a fixed length.</param>
public sealed record WarmupOutcome(double Seconds, double? JitMethodsPerSecond, bool? Settled);
