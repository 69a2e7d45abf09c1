namespace SagaEngine.Host.Persistence.Inbox;

/// <summary>
/// A message one consumer has processed. Written in the same transaction as the consumer's effects,
/// so its presence means "done": a redelivery is acknowledged without running the consumer again.
/// </summary>
public class InboxMessage
{
    public Guid MessageId { get; set; }

    /// <summary>The receive endpoint and the consumer on it, e.g. <c>order-saga/OrderState</c>.</summary>
    public string Consumer { get; set; } = "";

    public DateTime ReceivedAt { get; set; }
}
