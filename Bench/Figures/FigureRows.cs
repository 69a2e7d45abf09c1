namespace SagaEngine.Bench.Figures;

/// <summary>One reported figure: how it is labelled, how it is named in JSON, and how it is read from a run.</summary>
public sealed record FigureRow(string Key, string Label, Func<RunFigures, double?> Value, string Format);

/// <summary>The figures of a run, in the order they are reported; the summary takes the median of each.</summary>
public static class FigureRows
{
    public static readonly IReadOnlyList<FigureRow> All =
    [
        new("offered", "orders offered", r => r.Offered, "0"),
        new("completed", "completed to a terminal state", r => r.Completed, "0"),
        new("ordersPerSecond", "orders/s completed", r => r.OrdersPerSecond, "0.0"),
        new("latencyP50Ms", "submit-to-terminal p50 (ms)", r => r.LatencyP50Ms, "0.0"),
        new("latencyP95Ms", "submit-to-terminal p95 (ms)", r => r.LatencyP95Ms, "0.0"),
        new("latencyP99Ms", "submit-to-terminal p99 (ms)", r => r.LatencyP99Ms, "0.0"),
        new("latencyMaxMs", "submit-to-terminal max (ms)", r => r.LatencyMaxMs, "0.0"),
        new("postP50Ms", "HTTP POST p50 (ms)", r => r.PostP50Ms, "0.00"),
        new("postP99Ms", "HTTP POST p99 (ms)", r => r.PostP99Ms, "0.00"),
        new("relayDelayP50Ms", "outbox relay delay p50 (ms)", r => r.RelayDelayP50Ms?.Value, "0.0"),
        new("relayDelayP99Ms", "outbox relay delay p99 (ms)", r => r.RelayDelayP99Ms?.Value, "0.0"),
        new("dbTransactionsPerOrder", "DB transactions per order", r => r.DbTransactionsPerOrder?.Value, "0.00"),
        new("dbRoundTripsPerOrder", "DB round trips per order", r => r.DbRoundTripsPerOrder?.Value, "0.00"),
        new("cpuMsPerOrder", "host CPU per order (ms)", r => r.CpuMsPerOrder?.Value, "0.00"),
        new("exceptionsPerOrder", "exceptions per order", r => r.ExceptionsPerOrder?.Value, "0.00"),
        new("jitMethodsPerSecond", "methods JIT-compiled per second", r => r.JitMethodsPerSecond?.Value, "0.0"),
        new("allocatedKiBPerOrder", "allocated per order (KiB)", r => r.AllocatedKiBPerOrder?.Value, "0"),
        new("cpuPercentOfOneCore", "host CPU (% of one core)", r => r.CpuPercentOfOneCore, "0"),
        new("cpuPercentOfAllCores", "host CPU (% of all cores)", r => r.CpuPercentOfAllCores, "0"),
        new("peakMemoryMiB", "host peak memory (MiB, VmHWM)", r => r.PeakMemoryMiB, "0"),
        new("clientCpuPercentOfOneCore", "benchmark client CPU (% of one core)", r => r.ClientCpuPercentOfOneCore, "0"),
        new("machineCpuBusyPercent", "whole machine CPU busy (% of all cores)", r => r.MachineCpuBusyPercent, "0"),
        new("warmupOrders", "warm-up orders (not in figures)", r => r.WarmupOrders, "0"),
        new("warmupSeconds", "warm-up (s)", r => r.Warmup?.Seconds, "0"),
        new("maxScheduleLagMs", "generator schedule lag max (ms)", r => r.MaxScheduleLagMs, "0.0"),
        new("drainSeconds", "drain (s)", r => r.DrainSeconds, "0.0"),
        new("pollsPerOrder", "status polls per order", r => r.PollsPerOrder, "0.0"),
        new("failures", "correctness failures", r => r.Verification.Failures.Sum(f => f.Count), "0")
    ];
}
