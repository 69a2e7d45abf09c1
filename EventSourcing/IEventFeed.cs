namespace SagaEngine.EventSourcing;

/// <summary>
/// The global feed for code that follows the whole store (a read model's rebuild, say): every event in
/// position order, a page at a time, from a position the reader keeps. A reader that always asks from
/// the <see cref="EventFeedPage.Next"/> it was given never skips an event, even while writers commit out
/// of order. Read it outside a transaction (each read must see what committed before it).
/// </summary>
public interface IEventFeed
{
    /// <summary>
    /// The events after position <paramref name="after"/> (0: from the first), in position order, from at
    /// most <paramref name="limit"/> positions of the feed. <paramref name="category"/> (e.g. <c>order</c>)
    /// keeps only the events of that category's streams, so a page may hold fewer events than it covered,
    /// or none. Go on from <see cref="EventFeedPage.Next"/>; it equals <paramref name="after"/> once the
    /// reader has caught up with what has committed.
    /// </summary>
    Task<EventFeedPage> Read(long after, int limit, string? category = null, CancellationToken cancellationToken = default);

    /// <summary>The event as its registered type, upcast first when it was stored in an older schema version.</summary>
    object Deserialize(RecordedEvent recorded);
}

/// <summary>A page of the global feed: its events, and the position to read on from.</summary>
public sealed record EventFeedPage(IReadOnlyList<RecordedEvent> Events, long Next);
