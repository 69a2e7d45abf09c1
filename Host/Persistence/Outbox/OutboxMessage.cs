namespace SagaEngine.Host.Persistence.Outbox;

/// <summary>
/// A message a handler sent or published, written in the handler's own transaction and delivered
/// by the relay after that transaction committed. Everything a transport needs is here, in a form
/// no transport owns: the body as JSON, the headers as a JSON object, the key that orders delivery.
/// </summary>
public class OutboxMessage
{
    /// <summary>Assigned by the database on insert; delivery follows it within one <see cref="OrderingKey"/>.</summary>
    public long Sequence { get; set; }

    /// <summary>Kept through delivery, so a receiver's inbox recognises a redelivered message.</summary>
    public Guid MessageId { get; set; }

    /// <summary>The message type URNs, most specific first, separated by ';' (<c>urn:message:Namespace:Type</c>).</summary>
    public string MessageType { get; set; } = "";

    /// <summary>Where a sent message goes; null for a published one, which goes to whoever subscribes.</summary>
    public string? Destination { get; set; }

    /// <summary>The message's correlation id (for the order flow, its order id), or its own id when it has none.</summary>
    public string OrderingKey { get; set; } = "";

    /// <summary>A JSON object of string values: conversation, initiator, source and the handler's own headers.</summary>
    public string Headers { get; set; } = "{}";

    public string Body { get; set; } = "";

    /// <summary>The schema version <see cref="Body"/> was written at; rows written before versions existed are version 1.</summary>
    public int SchemaVersion { get; set; } = 1;

    public DateTime CreatedAt { get; set; }

    /// <summary>
    /// Null to deliver at once; otherwise not before this time (UTC): a scheduled message, such as a
    /// timeout, that waits in the outbox without holding back its key's other messages.
    /// </summary>
    public DateTime? DueAt { get; set; }

    /// <summary>The scheduling token of a scheduled message, by which cancelling it finds and removes it before it is due.</summary>
    public Guid? ScheduleToken { get; set; }

    /// <summary>Null until the relay handed the message to the transport.</summary>
    public DateTime? DeliveredAt { get; set; }

    /// <summary>How many times the transport refused the message (no route, too large, unknown topic).</summary>
    public int Attempts { get; set; }

    /// <summary>
    /// After a refusal, not before this time (UTC). Unlike <see cref="DueAt"/> it holds back its key's later
    /// messages: they must not overtake it.
    /// </summary>
    public DateTime? RetryAt { get; set; }

    /// <summary>Why the transport refused it last.</summary>
    public string? LastError { get; set; }

    /// <summary>
    /// Set when it was refused <c>Outbox:MaxAttempts</c> times: the relay leaves it (and its key's later
    /// messages) until an operator queues it again. Other keys are never held back by it.
    /// </summary>
    public DateTime? ParkedAt { get; set; }
}
