using System.Diagnostics.Metrics;

namespace SagaEngine.Host.Persistence.Relay;

/// <summary>What this process's relay has delivered since it started, and how long messages waited for it.</summary>
public sealed class OutboxMetrics
{
    public const string MeterName = "SagaEngine.Outbox";

    long _delivered;
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
    }

    public DateTime StartedAt { get; }

    public long Delivered => Interlocked.Read(ref _delivered);

    public void RecordDelivered(int count)
    {
        Interlocked.Add(ref _delivered, count);
        _deliveredCounter.Add(count);
    }

    public void RecordRelayDelay(TimeSpan delay) => _relayDelay.Record(Math.Max(0, delay.TotalSeconds));
}
