using MassTransit;
using SagaEngine.Host.Kafka.Consuming;
using SagaEngine.Tests.Kafka.Messages;

namespace SagaEngine.Tests.Kafka.Consumers;

public class PingConsumer(ConsumedLog log, PingBehaviour behaviour, HostName host) : IConsumer<Ping>
{
    public async Task Consume(ConsumeContext<Ping> context)
    {
        var ping = context.Message;
        context.ReceiveContext.TryGetPayload<KafkaRecordContext>(out var record);
        await behaviour.Enter(ping);
        var succeeded = false;
        try
        {
            behaviour.Leave(ping);
            succeeded = true;
        }
        finally
        {
            log.Add(order => new Consumed(host.Value, nameof(Ping), ping.Id, ping.Key, ping.Sequence, ping.Text, context.MessageId,
                context.CorrelationId, context.GetRedeliveryCount(), record!, succeeded, order));
        }
    }
}

/// <summary>MassTransit's own retry runs inside each Kafka attempt: three tries before the record counts as failed.</summary>
public class PingConsumerDefinition : ConsumerDefinition<PingConsumer>
{
    public const int TriesPerAttempt = 3;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<PingConsumer> consumerConfigurator, IRegistrationContext context) =>
        consumerConfigurator.UseMessageRetry(r => r.Immediate(TriesPerAttempt - 1));
}
