namespace SagaEngine.Host.Projections.Rebuild;

/// <summary>
/// The complete history of events in one global order, which holds more than Kafka's retention: what a
/// projection rebuild starts from (the event store's global feed). A reader must never be given a
/// position while a lower one can still appear. Register one as a singleton; without one a rebuild reads
/// what the live topics still retain.
/// </summary>
/// <remarks>
/// The history may hold events of every kind (stock, accounts, …): each projection passes over the types
/// it does not read. A read may answer nothing short of <see cref="LastPosition"/> while writers are still
/// in flight; the rebuild asks again for a few seconds, then leaves the rest to its catch-up on the topics.
/// </remarks>
public interface IEventHistory
{
    /// <summary>Events after <paramref name="after"/>, in position order, at most <paramref name="limit"/>; none at the end.</summary>
    Task<IReadOnlyList<HistoryEvent>> Read(long after, int limit, CancellationToken cancellationToken);

    /// <summary>The position of the last event now, for progress and to know where the history ends; null when there is none.</summary>
    Task<long?> LastPosition(CancellationToken cancellationToken);
}

/// <summary>One event of the history.</summary>
/// <param name="Position">Its place in the global order (1, 2, 3, …, with holes allowed).</param>
/// <param name="StreamId">Its stream, e.g. <c>order-{id}</c> (for messages and logs; the projection places the event itself).</param>
/// <param name="Version">Its place in its stream.</param>
/// <param name="Type">Its message type: the catalog's URN (<c>urn:message:sagaengine:order-submitted</c>) or the .NET type's own name (<c>OrderSubmitted</c>).</param>
/// <param name="SchemaVersion">The schema version <paramref name="Data"/> was written in, in the message catalog's numbering (<c>GET /schemas</c>); older ones are upcast.</param>
/// <param name="Data">Its JSON (camelCase).</param>
/// <param name="OccurredAt">When it happened (UTC), as a reader of its topic dates it (its message's sent time): the time the projections bucket it by.</param>
public sealed record HistoryEvent(long Position, string StreamId, long Version, string Type, int SchemaVersion, string Data, DateTime OccurredAt);
