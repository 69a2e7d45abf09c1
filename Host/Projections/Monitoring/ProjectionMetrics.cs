using System.Diagnostics.Metrics;
using SagaEngine.Host.Projections.Applying;
using SagaEngine.Host.Projections.Rebuild;

namespace SagaEngine.Host.Projections.Monitoring;

/// <summary>
/// What this host's projection runners and rebuilds do, per projection: events by outcome, and gauges for
/// the figures of <c>GET /projections</c> as this host sees them (its own partitions), read from the runners'
/// book-keeping so that a scrape asks neither the broker nor the database anything.
/// </summary>
public sealed class ProjectionMetrics
{
    public const string MeterName = "SagaEngine.Projections";

    readonly ProjectionRegistry _registry;
    readonly ProjectionRebuilds _rebuilds;
    readonly TimeProvider _clock;
    readonly Counter<long> _events;

    public ProjectionMetrics(IMeterFactory meters, ProjectionRegistry registry, ProjectionRebuilds rebuilds, TimeProvider clock)
    {
        _registry = registry;
        _rebuilds = rebuilds;
        _clock = clock;
        var meter = meters.Create(MeterName);
        _events = meter.CreateCounter<long>("sagaengine.projection.events", "{event}",
            "Events a projection read, by projection and outcome: applied, duplicate, held (ahead of a gap), gap (sequence numbers given up), " +
            "replayed (read again after a reset, applied before), unreadable and invalid (dead-lettered).");
        meter.CreateObservableGauge("sagaengine.projection.lag", () => Observe(s => s.LocalLag), "{record}",
            "Records on this host's partitions of the projection's group not yet applied.");
        meter.CreateObservableGauge("sagaengine.projection.lag_time", () => Observe(LagMilliseconds), "ms",
            "Now minus the time of the last event the projection applied, while it has records to apply; 0 when it has none.");
        meter.CreateObservableGauge("sagaengine.projection.position", () => Observe(s => s.LocalPosition), "{record}",
            "The sum of the projection's stored positions on this host's partitions.");
        meter.CreateObservableGauge("sagaengine.projection.state", ObserveStates, "{state}",
            "1 for the projection's current state (live, rebuilding, failed) and 0 for the others.");
        meter.CreateObservableGauge("sagaengine.projection.rebuild.events", ObserveRebuilds, "{event}",
            "Events read by the rebuild running in this host.");
    }

    internal void Counted(string projection, BatchResult result)
    {
        Add(projection, "applied", result.Applied);
        Add(projection, "duplicate", result.Duplicates);
        Add(projection, "held", result.Held);
        Add(projection, "gap", result.Gaps.Sum(g => (long)g.Gap.Count));
        Add(projection, "replayed", result.Replayed);
    }

    internal void Unreadable(string projection) => Add(projection, "unreadable", 1);

    internal void Invalid(string projection) => Add(projection, "invalid", 1);

    void Add(string projection, string outcome, long count)
    {
        if (count > 0)
            _events.Add(count, new("projection", projection), new("outcome", outcome));
    }

    long LagMilliseconds(RunnerStatus status) =>
        status.LocalLag > 0 && status.Counters.LastEventAt is { } at ? (long)Math.Max(0, (_clock.GetUtcNow().UtcDateTime - at).TotalMilliseconds) : 0;

    IEnumerable<Measurement<long>> Observe(Func<RunnerStatus, long> figure)
    {
        foreach (var projection in _registry.Projections)
            if (_registry.Runner(projection.Name) is { } runner)
                yield return new Measurement<long>(figure(runner.Status), new KeyValuePair<string, object?>("projection", projection.Name));
    }

    IEnumerable<Measurement<int>> ObserveStates()
    {
        foreach (var projection in _registry.Projections)
        {
            var failed = _registry.Runner(projection.Name)?.Status.Error is not null;
            var rebuilding = _rebuilds.Running(projection.Name) is not null;
            var state = failed ? "failed" : rebuilding ? "rebuilding" : "live";
            foreach (var candidate in (string[])["live", "rebuilding", "failed"])
                yield return new Measurement<int>(candidate == state ? 1 : 0,
                    new KeyValuePair<string, object?>("projection", projection.Name), new KeyValuePair<string, object?>("state", candidate));
        }
    }

    IEnumerable<Measurement<long>> ObserveRebuilds()
    {
        foreach (var projection in _registry.Projections)
            if (_rebuilds.Running(projection.Name) is { } events)
                yield return new Measurement<long>(events, new KeyValuePair<string, object?>("projection", projection.Name));
    }
}
