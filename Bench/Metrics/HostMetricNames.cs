namespace SagaEngine.Bench.Metrics;

/// <summary>
/// The Prometheus series the benchmark reads from the host's <c>/metrics</c>, in one place so they can be
/// aligned with the host's instruments as those are added. For each figure the first series present is
/// used and named in the report; when none is present the figure is reported as n/a.
/// </summary>
public static class HostMetricNames
{
    /// <summary>Histograms (seconds) of the time from an outbox row's commit to its delivery by the relay.</summary>
    public static readonly IReadOnlyList<string> OutboxRelayDelaySeconds =
    [
        "sagaengine_outbox_relay_delay_seconds"
    ];

    /// <summary>
    /// Counters of committed database transactions. EF Core's SaveChanges counter (meter
    /// Microsoft.EntityFrameworkCore, when the host exports it) is a fall-back: without explicit
    /// transactions each SaveChanges is one.
    /// </summary>
    public static readonly IReadOnlyList<string> DbTransactions =
    [
        "sagaengine_db_transactions_total",
        "microsoft_entityframeworkcore_savechanges_total"
    ];

    /// <summary>Commands sent to the database; with the committed transactions, the round trips.</summary>
    public static readonly IReadOnlyList<string> DbCommands =
    [
        "sagaengine_db_commands_total"
    ];

    /// <summary>
    /// The .NET runtime's own instruments (meter System.Runtime, which OpenTelemetry's runtime
    /// instrumentation exports on .NET 9 and later): process CPU time (user and system, every thread,
    /// native ones included), exceptions thrown (by error_type), methods JIT-compiled, bytes allocated.
    /// </summary>
    public static readonly IReadOnlyList<string> ProcessCpuSeconds = ["dotnet_process_cpu_time_seconds_total"];

    public static readonly IReadOnlyList<string> Exceptions = ["dotnet_exceptions_total"];

    /// <summary>The label of <see cref="Exceptions"/> that names the exception's type.</summary>
    public const string ExceptionType = "error_type";

    public static readonly IReadOnlyList<string> JitCompiledMethods = ["dotnet_jit_compiled_methods_total"];

    public static readonly IReadOnlyList<string> AllocatedBytes = ["dotnet_gc_heap_total_allocated_bytes_total"];

    /// <summary>Every series the benchmark may read, for the report's "none of … at /metrics".</summary>
    public static IEnumerable<string> All =>
        OutboxRelayDelaySeconds.Concat(DbTransactions).Concat(DbCommands).Concat(ProcessCpuSeconds).Concat(Exceptions)
            .Concat(JitCompiledMethods).Concat(AllocatedBytes);
}
