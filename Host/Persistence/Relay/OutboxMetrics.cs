using System.Diagnostics.Metrics;

namespace SagaEngine.Host.Persistence.Relay;

/// <summary>
/// What this process's relay has delivered since it started, how long messages waited for it, and how
/// many wait in the outbox now (counted by the relay every <see cref="PendingCountInterval"/>, never per scrape).
/// </summary>
public sealed class OutboxMetrics
{
    public const string MeterName = "SagaEngine.Outbox";

    /// <summary>How often the relay counts the pending rows for <c>sagaengine.outbox.pending</c>.</summary>
    public static readonly TimeSpan PendingCountInterval = TimeSpan.FromSeconds(5);

    long _delivered;
    long _pending = -1;
    readonly Counter<long> _deliveredCounter;
    readonly Histogram<double> _relayDelay;

    public OutboxMetrics(TimeProvider clock, IMeterFactory meters)
    {
        StartedAt = clock.GetUtcNow().UtcDateTime;
        var meter = meters.Create(MeterName);
        _deliveredCounter = meter.CreateCounter<long>("sagaengine.outbox.delivered", "{message}", "Outbox messages handed to the transport.");
        _relayDelay = meter.CreateHistogram<double>("sagaengine.outbox.relay_delay", "s",
            "Time from a message's commit to the transport's acknowledgement.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        meter.CreateObservableGauge("sagaengine.outbox.pending", ObservePending, "{message}",
            "Committed outbox messages due and not yet delivered (by any relay on the database), as last counted by this process's relay.");
    }

    public DateTime StartedAt { get; }

    public long Delivered => Interlocked.Read(ref _delivered);

    public void RecordDelivered(int count)
    {
        Interlocked.Add(ref _delivered, count);
        _deliveredCounter.Add(count);
    }

    public void RecordRelayDelay(TimeSpan delay) => _relayDelay.Record(Math.Max(0, delay.TotalSeconds));

    public void RecordPending(long pending) => Interlocked.Exchange(ref _pending, pending);

    /// <summary>Nothing until the relay has counted once: an unknown count is not reported as 0.</summary>
    IEnumerable<Measurement<long>> ObservePending()
    {
        var pending = Interlocked.Read(ref _pending);
        return pending < 0 ? [] : [new Measurement<long>(pending)];
    }
}
