using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using SagaEngine.Host.Kafka.DeadLetters;
using SagaEngine.Host.Kafka.Producing;
using SagaEngine.Tests.Kafka.Consumers;
using SagaEngine.Tests.Kafka.Messages;
using SagaEngine.Tests.Kafka.Support;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Kafka;

/// <summary>A broker of its own: the produce errors pushed here would hit any other test's producers.</summary>
public class KafkaDeadLetterProduceFails_Specs(KafkaBrokerFixture kafka) : IClassFixture<KafkaBrokerFixture>
{
    const short ProduceApi = 0;

    [Fact]
    public async Task Should_not_store_the_offset_while_the_dead_letter_produce_fails_and_should_dead_letter_it_once_it_succeeds()
    {
        var (topic, group) = (kafka.Topic(partitions: 1), KafkaNames.Unique("group"));
        var partition = new TopicPartition(topic, 0);
        var log = new ConsumedLog();
        var (good, invalid, next) = (new Ping(Guid.NewGuid(), "k", 0), new Ping(Guid.NewGuid(), "k", 1, PingBehaviour.Invalid),
            new Ping(Guid.NewGuid(), "k", 2));
        using (var producer = PlainKafka.Producer(kafka.BootstrapServers))
            foreach (var ping in new[] { good, invalid, next })
                await producer.ProduceAsync(partition, PlainKafka.Message(ping, "k"));
        // Every produce request fails (and is retried by librdkafka) until these errors are used up.
        kafka.Broker.PushRequestErrors(ProduceApi, Enumerable.Repeat(ErrorCode.NotEnoughReplicas, 12).ToArray());

        await using var host = await KafkaTestHost.Start(
            KafkaSettings.For(kafka.BootstrapServers, ("DeadLetterProduceTimeoutMs", "300")).WithEndpoint("pings", topic, group),
            k => k.AddEndpoint("pings", e => e.Consumer<PingConsumer>()), log);

        await Eventually.True(() => host.Logs.Lines.Count(l => l.Message.Contains("could not dead-letter")) >= 2,
            "the dead-letter produce failing twice");
        Assert.Equal(1, await PlainKafka.Committed(kafka.BootstrapServers, group, partition));
        Assert.Equal([good.Id], log.Succeeded.Select(e => e.Id));

        await Eventually.Get(() => PlainKafka.Committed(kafka.BootstrapServers, group, partition), o => o == 3,
            "the partition committed to its end once the dead-letter topic took the record");
        Assert.Equal([good.Id, next.Id], log.Succeeded.Select(e => e.Id));
        // A produce given up on may still have been delivered later: at least once, never lost.
        var copies = PlainKafka.ReadAll(kafka.BootstrapServers, DeadLetterTopic.For(topic, group), 1);
        Assert.NotEmpty(copies);
        Assert.All(copies, c => Assert.Equal("1", PlainKafka.Header(c, DeadLetterHeaders.OriginalOffset)));
    }
}
