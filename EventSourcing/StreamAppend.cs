namespace SagaEngine.EventSourcing;

/// <summary>
/// Events to append to one stream. <paramref name="ExpectedVersion"/> is the version the writer saw last:
/// 0 for a stream that must not exist yet; the events get the versions after it, 1, 2, 3, … per stream.
/// </summary>
public sealed record StreamAppend(string StreamId, long ExpectedVersion, IReadOnlyList<NewEvent> Events)
{
    public static StreamAppend Of(string streamId, long expectedVersion, params object[] events) =>
        new(streamId, expectedVersion, events.Select(e => new NewEvent(e)).ToList());

    /// <summary>The version the stream is at once this append commits.</summary>
    public long NewVersion => ExpectedVersion + Events.Count;
}

/// <summary>
/// One event to append. <paramref name="MessageId"/> is the event's own id; leave it null for a new one,
/// or give the id the event already has as a message (so the stream and the topic name it alike).
/// <paramref name="OccurredAt"/> is when it happened as its writer dates it; leave it null to let the store
/// date it: the time the message it is was sent, when the store can tell, else the time it is recorded.
/// </summary>
public sealed record NewEvent(object Data, Guid? MessageId = null, DateTime? OccurredAt = null);
