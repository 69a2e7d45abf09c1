using Microsoft.Extensions.Options;
using SagaEngine.Host.Kafka.Clients;
using SagaEngine.Host.Kafka.Configuration;

namespace SagaEngine.Tests.Kafka;

/// <summary>
/// The relay hands its producer rows in batches already, so the producer sends without waiting for more records
/// (librdkafka's default would add up to 5 ms to every hop of an order); <c>Kafka:Producer:linger.ms</c> overrides it.
/// </summary>
public class ProducerLinger_Specs
{
    [Fact]
    public void The_producer_sends_without_lingering()
    {
        var kafka = Options.Create(new KafkaOptions());
        using var cluster = new KafkaCluster(kafka);

        Assert.Equal(0, new KafkaClientConfigs(cluster, kafka).Producer("relay").LingerMs);
    }

    [Fact]
    public void Kafka_Producer_linger_ms_overrides_it()
    {
        var kafka = Options.Create(new KafkaOptions { Producer = new Dictionary<string, string> { ["linger.ms"] = "20" } });
        using var cluster = new KafkaCluster(kafka);

        Assert.Equal(20, new KafkaClientConfigs(cluster, kafka).Producer("relay").LingerMs);
    }
}
