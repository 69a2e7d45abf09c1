using MassTransit;
using SagaEngine.Host.Kafka.Consuming;
using SagaEngine.Tests.Kafka.Messages;

namespace SagaEngine.Tests.Kafka.Consumers;

public class PingLikeConsumer(ConsumedLog log, HostName host) : IConsumer<PingLike>
{
    public Task Consume(ConsumeContext<PingLike> context)
    {
        var message = context.Message;
        context.ReceiveContext.TryGetPayload<KafkaRecordContext>(out var record);
        log.Add(order => new Consumed(host.Value, nameof(PingLike), message.Id, message.Key, message.Sequence, message.Text, context.MessageId,
            context.CorrelationId, context.GetRedeliveryCount(), record!, true, order));
        return Task.CompletedTask;
    }
}
