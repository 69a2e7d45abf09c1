namespace SagaEngine.Host.Projections.Rebuild;

/// <summary>
/// The complete history of events in one global order, which holds more than Kafka's retention: what a
/// projection rebuild starts from (the event store's global feed). A reader must never be given a
/// position while a lower one can still appear.
/// </summary>
public interface IEventHistory
{
    /// <summary>Events after <paramref name="after"/>, in position order, at most <paramref name="limit"/>; none at the end.</summary>
    Task<IReadOnlyList<HistoryEvent>> Read(long after, int limit, CancellationToken cancellationToken);

    /// <summary>The position of the last event now, for progress; null when there is none.</summary>
    Task<long?> LastPosition(CancellationToken cancellationToken);
}

/// <summary>One event of the history: where it is, what it is (its stored type name and schema version), its JSON, and when it was recorded.</summary>
public sealed record HistoryEvent(long Position, string StreamId, long Version, string Type, int SchemaVersion, string Data, DateTime RecordedAt);
