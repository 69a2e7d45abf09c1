using System.Text;
using System.Text.Json;
using MassTransit;
using SagaEngine.Host.Persistence.Outbox;
using SagaEngine.Host.Persistence.Relay;
using SagaEngine.Host.Schemas;

namespace SagaEngine.Host.Messaging;

/// <summary>
/// Delivers outbox messages to the MassTransit bus: a publish by its type, a send to its destination,
/// keeping the message id (so inboxes recognise redeliveries) and the conversation it belongs to.
/// </summary>
public class BusOutboxTransport(IBus bus, MessageTypes types, IMessageSchemas schemas, ILogger<BusOutboxTransport> logger) : IOutboxTransport
{
    public async Task<IReadOnlyList<OutboxDeliveryResult>> Deliver(IReadOnlyList<OutboxDelivery> messages, CancellationToken cancellationToken)
    {
        var results = new OutboxDeliveryResult[messages.Count];
        var refusedKeys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < messages.Count; i++)
        {
            if (refusedKeys.Contains(messages[i].OrderingKey))
            {
                results[i] = OutboxDeliveryResult.NotNow("An earlier message of its key was not delivered.");
                continue;
            }
            try
            {
                await Deliver(messages[i], cancellationToken);
                results[i] = OutboxDeliveryResult.Delivered;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The in-process bus is always there: whatever it throws is about this message.
                logger.LogError(e, "Outbox message {MessageId} could not be handed to the bus", messages[i].MessageId);
                results[i] = OutboxDeliveryResult.Refused(e.Message);
                refusedKeys.Add(messages[i].OrderingKey);
            }
        }
        return results;
    }

    async Task Deliver(OutboxDelivery message, CancellationToken cancellationToken)
    {
        var type = message.MessageTypes.Select(types.Find).FirstOrDefault(t => t is not null)
                   ?? throw new InvalidOperationException($"No loaded type is the message type {string.Join(";", message.MessageTypes)}.");
        // A row written by an earlier release waits in its own version: bring it to this one's first.
        var json = message.Body;
        if (schemas.Find(type) is { } schema && message.SchemaVersion != schema.Version)
            json = Encoding.UTF8.GetString(schemas.Upcast(schema, message.SchemaVersion, Encoding.UTF8.GetBytes(json)));
        var body = JsonSerializer.Deserialize(json, type, OutboxJson.Options)
                   ?? throw new InvalidOperationException($"Outbox message {message.MessageId} has an empty body.");

        if (message.Destination is null)
            await bus.Publish(body, type, Pipe.Execute<PublishContext>(c => Restore(c, message)), cancellationToken);
        else
            await (await bus.GetSendEndpoint(message.Destination))
                .Send(body, type, Pipe.Execute<SendContext>(c => Restore(c, message)), cancellationToken);
    }

    static void Restore(SendContext context, OutboxDelivery message)
    {
        context.MessageId = message.MessageId;
        foreach (var (key, value) in message.Headers)
            switch (key)
            {
                case OutboxHeaders.CorrelationId:
                    context.CorrelationId = Guid.Parse(value);
                    break;
                case OutboxHeaders.ConversationId:
                    context.ConversationId = Guid.Parse(value);
                    break;
                case OutboxHeaders.InitiatorId:
                    context.InitiatorId = Guid.Parse(value);
                    break;
                case OutboxHeaders.SourceAddress:
                    context.SourceAddress = new Uri(value);
                    break;
                case OutboxHeaders.SentTime:
                    break;
                default:
                    context.Headers.Set(key, value);
                    break;
            }
    }
}
