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
/// and a message counts as delivered only once the broker acknowledged it.
/// </summary>
/// <remarks>
/// The relay waits for the broker inside its database transaction, and on SQLite that transaction
/// holds the only write lock. So it waits at most <see cref="KafkaOptions.RelayAckTimeoutMs"/>: a batch
/// not acknowledged by then stays pending in the outbox (the producer keeps it and delivers it when
/// the broker is back; the repeat that follows is absorbed by the receivers' inboxes), and until that
/// batch is acknowledged further batches are refused at once instead of queueing behind it.
/// </remarks>
public class KafkaOutboxTransport(IKafkaProducer producer, KafkaRoutes routes, IOptions<KafkaOptions> options, IMessageSchemas schemas,
    ILogger<KafkaOutboxTransport> logger) : IOutboxTransport
{
    Task? _unacknowledged;

    public async Task<IReadOnlyList<bool>> Deliver(IReadOnlyList<OutboxDelivery> messages, CancellationToken cancellationToken)
    {
        var accepted = new bool[messages.Count];
        if (_unacknowledged is { IsCompleted: false })
            return accepted;

        var records = new List<KafkaRecord>(messages.Count);
        var positions = new List<int>(messages.Count);
        var spans = new List<Activity?>(messages.Count);
        for (var i = 0; i < messages.Count; i++)
        {
            try
            {
                records.Add(ToRecord(messages[i], out var span));
                positions.Add(i);
                spans.Add(span);
            }
            catch (InvalidOperationException e)
            {
                // Unroutable: it stays pending (with its key behind it) until the topology names a topic.
                logger.LogError(e, "Outbox message {MessageId} has no Kafka topic", messages[i].MessageId);
            }
        }

        var producing = producer.ProduceBatch(records, CancellationToken.None);
        var waited = await Task.WhenAny(producing, Task.Delay(options.Value.RelayAckTimeoutMs, cancellationToken));
        if (waited != producing)
        {
            _unacknowledged = producing;
            foreach (var span in spans)
                KafkaTracing.Produced(span, null, null, $"Not acknowledged within {options.Value.RelayAckTimeoutMs} ms.");
            logger.LogWarning("Kafka did not acknowledge {Count} records within {Timeout} ms; they stay pending in the outbox",
                records.Count, options.Value.RelayAckTimeoutMs);
            return accepted;
        }

        var deliveries = await producing;
        for (var j = 0; j < deliveries.Count; j++)
        {
            KafkaTracing.Produced(spans[j], deliveries[j].Partition, deliveries[j].Offset, deliveries[j].Error);
            accepted[positions[j]] = deliveries[j].Delivered;
            if (!deliveries[j].Delivered)
                logger.LogWarning("Kafka refused outbox message {MessageId}: {Error}", messages[positions[j]].MessageId, deliveries[j].Error);
        }
        return accepted;
    }

    KafkaRecord ToRecord(OutboxDelivery message, out Activity? span)
    {
        var topic = message.Destination is { } destination ? routes.ForSend(destination) : routes.ForPublish(message.MessageTypes);
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
