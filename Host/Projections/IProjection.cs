using SagaEngine.Host.Projections.Storage;

namespace SagaEngine.Host.Projections;

/// <summary>
/// A read model fed by a projection runner: a consumer group of its own on the topics configured under
/// <c>Kafka:Endpoints:&lt;Name&gt;</c>. The runner reads, upcasts and types each record, applies each
/// stream's events once and in sequence order, and writes the projection's rows, its per-stream state and
/// its position in one transaction. The projection only says which events it reads, which stream each
/// belongs to, and how a batch of them changes its tables.
/// </summary>
public interface IProjection
{
    /// <summary>Its name in the API, the metrics, the logs and its bookkeeping rows, e.g. <c>sales</c>.</summary>
    string Name { get; }

    /// <summary>The message types it reads; records of any other type are passed over without being read.</summary>
    IReadOnlyCollection<Type> MessageTypes { get; }

    /// <summary>The base names of its tables (each exists once per <see cref="ProjectionSlot"/>), emptied before a rebuild fills a slot.</summary>
    IReadOnlyList<string> Tables { get; }

    /// <summary>The stream an event belongs to and its sequence number in it; null for an event it cannot place (dead-lettered as unreadable).</summary>
    EventStream? StreamOf(object message);

    /// <summary>
    /// Each field of the event that breaks its contract's rules, with what the rule requires; empty when it keeps them.
    /// An event that breaks them is dead-lettered as invalid and changes nothing, as it would on a Kafka endpoint.
    /// </summary>
    IReadOnlyDictionary<string, string[]> Invalid(object message);

    /// <summary>
    /// Applies <see cref="ProjectionBatch.Events"/>, in their order, to the tables of <see cref="ProjectionBatch.Slot"/>:
    /// load the rows they touch, change them, add new ones. The runner saves and commits, together with
    /// its bookkeeping; a throw rolls everything back and the batch is tried again.
    /// </summary>
    Task Apply(ProjectionBatch batch, CancellationToken cancellationToken);
}

/// <param name="Key">The stream, e.g. an order id.</param>
/// <param name="Sequence">The event's place in its stream (1, 2, 3, …); null for an event without one, applied as it arrives.</param>
public readonly record struct EventStream(string Key, int? Sequence);

/// <summary>An event ready to apply: upcast to the current version, typed, in its stream's order.</summary>
/// <param name="Key">Its stream.</param>
/// <param name="Sequence">Its place in the stream; null for an event without one.</param>
/// <param name="Message">The message, of its contract type.</param>
/// <param name="OccurredAt">When it happened (UTC): the record's sent time, or the time the event store recorded it.</param>
public sealed record ProjectionEvent(string Key, int? Sequence, object Message, DateTime OccurredAt);
