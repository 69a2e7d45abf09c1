using System.Runtime.CompilerServices;

namespace SagaEngine.Host.Persistence.Outbox;

/// <summary>
/// The id and sent time of each message the outbox took, by the message object itself, for as long as that object
/// lives. A handler that both publishes an event and appends it to a stream hands the same object to both; the
/// event store looks it up here, so the stream names and dates the event as the topic does.
/// </summary>
/// <remarks>
/// Keyed weakly by instance: an entry goes with its message, so nothing needs clearing, and two equal messages
/// (records compare by value) are never taken for one another.
/// </remarks>
public sealed class SentMessages
{
    readonly ConditionalWeakTable<object, SentMessage> _sent = new();

    public void Noted(object message, Guid messageId, DateTime sentAt) => _sent.AddOrUpdate(message, new SentMessage(messageId, sentAt));

    public SentMessage? Find(object message) => _sent.TryGetValue(message, out var sent) ? sent : null;
}

/// <summary>A message's id and the time it was sent (UTC), as its record's headers carry them.</summary>
public sealed record SentMessage(Guid MessageId, DateTime SentAt);
