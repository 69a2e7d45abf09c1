using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using SagaEngine.Host.Kafka;
using SagaEngine.Host.Kafka.Configuration;
using SagaEngine.Host.Kafka.Producing;
using SagaEngine.Host.Persistence.Outbox;
using SagaEngine.Host.Persistence.Relay;
using SagaEngine.Host.Schemas;

namespace SagaEngine.Host.Messaging;

/// <summary>
/// Delivers outbox messages to Kafka: each as one record keyed by its ordering key (the order id),
/// so one key's messages share a partition and keep their order; the whole batch is produced at once
/// and a message counts as delivered only once the broker acknowledged it. A message that cannot go
/// as it is (no topic for its type, a topic the cluster does not have, a record the producer or broker
/// refuses, such as one over the size limit) is refused, and its key's later messages in the batch wait.
/// </summary>
/// <remarks>
/// The relay waits for the broker inside its database transaction, and on SQLite that transaction
/// holds the only write lock. So it waits at most <see cref="KafkaOptions.RelayAckTimeoutMs"/>: a batch
/// not acknowledged by then stays pending in the outbox (the producer keeps it and delivers it when
/// the broker is back; the repeat that follows is absorbed by the receivers' inboxes), and until that
/// batch is acknowledged further batches are not taken. Records for topics the cluster does not have
/// are refused before they are produced, so that they never are such a batch.
/// </remarks>
public class KafkaOutboxTransport(IKafkaProducer producer, KafkaRoutes routes, KafkaTopicDirectory topics, IOptions<KafkaOptions> options,
    IMessageSchemas schemas,
    ILogger<KafkaOutboxTransport> logger) : IOutboxTransport
{
    Task? _unacknowledged;

    public async Task<IReadOnlyList<OutboxDeliveryResult>> Deliver(IReadOnlyList<OutboxDelivery> messages, CancellationToken cancellationToken)
    {
        var results = new OutboxDeliveryResult[messages.Count];
        if (_unacknowledged is { IsCompleted: false })
        {
            Array.Fill(results, OutboxDeliveryResult.NotNow("Kafka has not acknowledged an earlier batch yet."));
            return results;
        }

        var records = new List<KafkaRecord>(messages.Count);
        var positions = new List<int>(messages.Count);
        var spans = new List<Activity?>(messages.Count);
        var refusedKeys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            if (refusedKeys.Contains(message.OrderingKey))
            {
                results[i] = OutboxDeliveryResult.NotNow("An earlier message of its key was refused.");
                continue;
            }
            if (Refusal(message) is { } refusal)
            {
                logger.LogError("Kafka refused outbox message {MessageId} ({MessageType}): {Reason}", message.MessageId,
                    message.MessageTypes.FirstOrDefault(), refusal);
                results[i] = OutboxDeliveryResult.Refused(refusal);
                refusedKeys.Add(message.OrderingKey);
                continue;
            }
            records.Add(ToRecord(message, out var span));
            positions.Add(i);
            spans.Add(span);
        }

        var producing = producer.ProduceBatch(records, CancellationToken.None);
        var waited = await Task.WhenAny(producing, Task.Delay(options.Value.RelayAckTimeoutMs, cancellationToken));
        if (waited != producing)
        {
            _unacknowledged = producing;
            var reason = $"Not acknowledged within {options.Value.RelayAckTimeoutMs} ms.";
            foreach (var span in spans)
                KafkaTracing.Produced(span, null, null, reason);
            foreach (var position in positions)
                results[position] = OutboxDeliveryResult.NotNow(reason);
            logger.LogWarning("Kafka did not acknowledge {Count} records within {Timeout} ms; they stay pending in the outbox",
                records.Count, options.Value.RelayAckTimeoutMs);
            return results;
        }

        var deliveries = await producing;
        for (var j = 0; j < deliveries.Count; j++)
        {
            var delivery = deliveries[j];
            KafkaTracing.Produced(spans[j], delivery.Partition, delivery.Offset, delivery.Error);
            results[positions[j]] = delivery switch
            {
                { Delivered: true } => OutboxDeliveryResult.Delivered,
                { NotProduced: true } => OutboxDeliveryResult.NotNow(delivery.Error!),
                _ => OutboxDeliveryResult.Refused(delivery.Error ?? "Not delivered.")
            };
            if (!delivery.Delivered && !delivery.NotProduced)
                logger.LogWarning("Kafka refused outbox message {MessageId}: {Error}", messages[positions[j]].MessageId, delivery.Error);
        }
        return results;
    }

    /// <summary>Why the message cannot go as it is, found before producing it; null when it can.</summary>
    string? Refusal(OutboxDelivery message)
    {
        string topic;
        try
        {
            topic = Topic(message);
        }
        catch (InvalidOperationException e)
        {
            return e.Message;
        }
        return topics.Exists(topic) ? null : $"Topic '{topic}' does not exist in the Kafka cluster.";
    }

    string Topic(OutboxDelivery message) =>
        message.Destination is { } destination ? routes.ForSend(destination) : routes.ForPublish(message.MessageTypes);

    KafkaRecord ToRecord(OutboxDelivery message, out Activity? span)
    {
        var topic = Topic(message);
        // On the wire a message goes by its stable name (the outbox keeps MassTransit's, which follows the .NET type).
        var messageType = message.MessageTypes.Select(schemas.Find).FirstOrDefault(s => s is not null)?.Urn
                          ?? string.Join(";", message.MessageTypes);
        var headers = KafkaMessageHeaders.Create(messageType, message.MessageId,
            Guid.TryParse(message.Headers.GetValueOrDefault(OutboxHeaders.CorrelationId), out var correlation) ? correlation : null,
            Guid.TryParse(message.Headers.GetValueOrDefault(OutboxHeaders.ConversationId), out var conversation) ? conversation : null,
            DateTime.TryParse(message.Headers.GetValueOrDefault(OutboxHeaders.SentTime), CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var sent) ? sent : message.CreatedAt,
            message.SchemaVersion);
        // The sender's own headers travel too, under their names; the standard ones above win.
        foreach (var (key, value) in message.Headers)
            headers.TryAdd(key, value);
        // The record's trace headers name its produce span, which continues the relay's.
        span = KafkaTracing.StartProduce(topic, message.OrderingKey, headers);
        return new KafkaRecord(topic, message.OrderingKey, headers, Encoding.UTF8.GetBytes(message.Body));
    }
}
