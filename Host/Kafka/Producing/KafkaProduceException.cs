namespace SagaEngine.Host.Kafka.Producing;

public sealed class KafkaProduceException(KafkaDelivery delivery)
    : Exception($"The record for topic '{delivery.Record.Topic}' with key '{delivery.Record.Key}' was not delivered: {delivery.Error}")
{
    public KafkaDelivery Delivery { get; } = delivery;
}
