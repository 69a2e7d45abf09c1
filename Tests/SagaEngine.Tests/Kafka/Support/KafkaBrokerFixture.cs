using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using SagaEngine.Host.Kafka.Configuration;
using SagaEngine.Host.Kafka.EmbeddedBroker;

namespace SagaEngine.Tests.Kafka.Support;

/// <summary>One embedded broker for a test class; each test uses topics and groups of its own on it.</summary>
public sealed class KafkaBrokerFixture : IDisposable
{
    /// <summary>The fixtures' brokers by address, so a test host pointed at one can have its dead-letter topics created there.</summary>
    static readonly ConcurrentDictionary<string, EmbeddedKafkaBroker> Running = new();

    public KafkaBrokerFixture() => Running[Broker.BootstrapServers] = Broker;

    public EmbeddedKafkaBroker Broker { get; } = EmbeddedKafkaBroker.Start();

    /// <summary>
    /// Creates the topics a host with these settings needs that a test does not create itself (its
    /// endpoints' dead-letter topics), as an operator would before pointing a host at a cluster.
    /// </summary>
    public static void CreateHostTopics(IDictionary<string, string?> settings)
    {
        if (settings.TryGetValue("Kafka:BootstrapServers", out var bootstrap) && bootstrap is not null
                                                                            && Running.TryGetValue(bootstrap, out var broker))
            foreach (var topic in KafkaOptionsOf(settings).DeadLetterTopics())
                broker.CreateTopic(topic, 1);
    }

    static KafkaOptions KafkaOptionsOf(IDictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(KafkaOptions.Section).Get<KafkaOptions>() ?? new KafkaOptions();

    public string BootstrapServers => Broker.BootstrapServers;

    /// <summary>A new topic; hosts pointed at this broker cannot create topics on it themselves.</summary>
    public string Topic(int partitions)
    {
        var topic = KafkaNames.Unique("topic");
        Broker.CreateTopic(topic, partitions);
        return topic;
    }

    public void Dispose()
    {
        Running.TryRemove(Broker.BootstrapServers, out _);
        Broker.Dispose();
    }
}
