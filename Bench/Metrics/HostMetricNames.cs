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
}
