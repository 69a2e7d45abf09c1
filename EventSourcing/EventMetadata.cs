namespace SagaEngine.EventSourcing;

/// <summary>What an event records about where it came from, besides its own id.</summary>
/// <param name="MessageId">The event's own id: the message's id, when it travelled as one.</param>
/// <param name="CorrelationId">The conversation it belongs to: for the order flow, the order id.</param>
/// <param name="CausationId">The id of the message whose handling appended it; null when no message caused it.</param>
/// <param name="TraceParent">The W3C trace context it was appended in, when tracing was on.</param>
/// <param name="OccurredAt">
/// When it happened, when that is not when it was recorded: for an event that travelled as a message, the
/// time the message was sent, which is the time a reader of the topic dates it by. Null otherwise.
/// </param>
public sealed record EventMetadata(Guid MessageId, Guid? CorrelationId, Guid? CausationId, string? TraceParent, DateTime? OccurredAt = null);
