namespace SagaEngine.Host.Persistence.Relay;

/// <summary>
/// Where the relay hands committed outbox messages. Today the MassTransit bus; any transport that can
/// carry a JSON body with string headers, routed by destination or by message type, keyed for order.
/// </summary>
public interface IOutboxTransport
{
    /// <summary>
    /// Hands over a batch, in the order given (which is commit order within each ordering key), and
    /// returns once the transport has accepted or refused each: one flag per message, in the same
    /// order. A refused message, and the later ones with its ordering key, stay pending for the next
    /// round; throwing refuses the whole batch.
    /// </summary>
    Task<IReadOnlyList<bool>> Deliver(IReadOnlyList<OutboxDelivery> messages, CancellationToken cancellationToken);
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
