namespace SagaEngine.Host.Persistence.Relay;

/// <summary>
/// Where the relay hands committed outbox messages. Today the MassTransit bus; any transport that can
/// carry a JSON body with string headers, routed by destination or by message type, keyed for order.
/// </summary>
public interface IOutboxTransport
{
    /// <summary>
    /// Hands over a batch, in the order given (which is commit order within each ordering key), and
    /// returns once the transport has accepted, refused or not taken each: one result per message, in the
    /// same order. A message not delivered, and the later ones with its ordering key, stay pending; one
    /// refused (it cannot be delivered as it is) counts towards <c>Outbox:MaxAttempts</c>, one not taken now
    /// (the transport is away) does not. Throwing leaves the whole batch pending, as not taken now.
    /// </summary>
    Task<IReadOnlyList<OutboxDeliveryResult>> Deliver(IReadOnlyList<OutboxDelivery> messages, CancellationToken cancellationToken);
}

/// <summary>What the transport did with one message.</summary>
/// <param name="Outcome">Delivered, refused, or not taken now.</param>
/// <param name="Reason">Why it was not delivered.</param>
public readonly record struct OutboxDeliveryResult(OutboxDeliveryOutcome Outcome, string? Reason)
{
    public static readonly OutboxDeliveryResult Delivered = new(OutboxDeliveryOutcome.Delivered, null);

    /// <summary>The message cannot go as it is (no route for its type, too large, unknown destination): retried with back-off, then parked.</summary>
    public static OutboxDeliveryResult Refused(string reason) => new(OutboxDeliveryOutcome.Refused, reason);

    /// <summary>The transport could not take it now, for reasons of its own (away, not acknowledging): tried again next round, as often as it takes.</summary>
    public static OutboxDeliveryResult NotNow(string reason) => new(OutboxDeliveryOutcome.NotNow, reason);
}

public enum OutboxDeliveryOutcome
{
    Delivered,
    Refused,
    NotNow
}

/// <param name="MessageId">Kept through every redelivery, so that receivers can recognise one.</param>
/// <param name="MessageTypes">The message type URNs, most specific first.</param>
/// <param name="Destination">Where a sent message goes; null for a publish, which is routed by message type.</param>
/// <param name="OrderingKey">Messages with one key must reach the transport in the order given.</param>
/// <param name="Headers">Correlation, conversation, initiator, source, sent time and the sender's own headers.</param>
/// <param name="Body">The message as JSON (camelCase).</param>
/// <param name="CreatedAt">When the sender's transaction wrote it (UTC).</param>
/// <param name="SchemaVersion">The schema version the body was written at.</param>
public record OutboxDelivery(
    Guid MessageId,
    IReadOnlyList<string> MessageTypes,
    Uri? Destination,
    string OrderingKey,
    IReadOnlyDictionary<string, string> Headers,
    string Body,
    DateTime CreatedAt,
    int SchemaVersion = 1);
