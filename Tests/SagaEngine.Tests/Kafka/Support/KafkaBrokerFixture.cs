using SagaEngine.Host.Kafka.EmbeddedBroker;

namespace SagaEngine.Tests.Kafka.Support;

/// <summary>One embedded broker for a test class; each test uses topics and groups of its own on it.</summary>
public sealed class KafkaBrokerFixture : IDisposable
{
    public EmbeddedKafkaBroker Broker { get; } = EmbeddedKafkaBroker.Start();

    public string BootstrapServers => Broker.BootstrapServers;

    /// <summary>A new topic; hosts pointed at this broker cannot create topics on it themselves.</summary>
    public string Topic(int partitions)
    {
        var topic = KafkaNames.Unique("topic");
        Broker.CreateTopic(topic, partitions);
        return topic;
    }

    public void Dispose() => Broker.Dispose();
}
