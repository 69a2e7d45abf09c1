using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using SagaEngine.Host.Kafka.Producing;
using SagaEngine.Tests.Kafka.Consumers;
using SagaEngine.Tests.Kafka.Messages;
using SagaEngine.Tests.Kafka.Support;

using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Kafka;

/// <summary>Offsets are stored and committed only for processed records, so a restart resumes exactly there.</summary>
public class KafkaOffsets_Specs(KafkaBrokerFixture kafka) : IClassFixture<KafkaBrokerFixture>
{
    [Fact]
    public async Task Should_not_commit_past_a_failing_record_and_should_process_it_after_a_restart()
    {
        var topic = kafka.Topic(partitions: 1);
        var group = KafkaNames.Unique("group");
        var partition = new TopicPartition(topic, 0);
        // Attempts enough that the poison record is never dead-lettered while this test watches it fail.
        var settings = KafkaSettings.For(kafka.BootstrapServers, ("MaxDeliveryAttempts", "1000")).WithEndpoint("pings", topic, group);
        var log = new ConsumedLog();
        var behaviour = new PingBehaviour();
        var (a, poison, c) = (Ping(0), Ping(1, PingBehaviour.Poison), Ping(2));

        await using (var first = await KafkaTestHost.Start(settings, k => k.AddEndpoint("pings", e => e.Consumer<PingConsumer>()), log, behaviour, "first"))
        {
            await first.Services.GetRequiredService<IKafkaProducer>().ProduceBatch(
                new[] { a, poison, c }.Select(p => KafkaRecord.ForMessage(topic, "same-key", p, Guid.NewGuid())).ToList());

            // The poison record is read again after a back-off, each time after MassTransit's own retries.
            await Eventually.True(() => log.All.Any(e => e.Id == poison.Id && e.Record.Attempt == 2), "a second attempt at the poison record");
            Assert.Equal(PingConsumerDefinition.TriesPerAttempt, log.All.Count(e => e.Id == poison.Id && e.Record.Attempt == 1));
            Assert.Equal(1, log.All.Last(e => e.Id == poison.Id).RedeliveryCount);
            Assert.DoesNotContain(log.All, e => e.Id == c.Id);
            await Eventually.Get(() => PlainKafka.Committed(kafka.BootstrapServers, group, partition), o => o == 1,
                "the offset after the first record committed");
        }

        Assert.Equal(1, await PlainKafka.Committed(kafka.BootstrapServers, group, partition));
        behaviour.PoisonFixed = true;
        await using var second = await KafkaTestHost.Start(settings, k => k.AddEndpoint("pings", e => e.Consumer<PingConsumer>()), log, behaviour, "second");

        await Eventually.Get(() => PlainKafka.Committed(kafka.BootstrapServers, group, partition), o => o == 3, "every offset committed");
        Assert.Equal([poison.Id, c.Id], log.Succeeded.Where(e => e.Host == "second").Select(e => e.Id));
        Assert.Equal([a.Id], log.Succeeded.Where(e => e.Host == "first").Select(e => e.Id));
    }

    [Fact]
    public async Task Should_resume_after_the_last_committed_offset_when_restarted()
    {
        var topic = kafka.Topic(partitions: 2);
        var group = KafkaNames.Unique("group");
        var settings = KafkaSettings.For(kafka.BootstrapServers).WithEndpoint("pings", topic, group);
        var log = new ConsumedLog();
        using var producer = PlainKafka.Producer(kafka.BootstrapServers);
        var before = Enumerable.Range(0, 10).Select(i => Ping(i)).ToList();
        var after = Enumerable.Range(10, 6).Select(i => Ping(i)).ToList();

        await using (var first = await KafkaTestHost.Start(settings, k => k.AddEndpoint("pings", e => e.Consumer<PingConsumer>()), log, name: "first"))
        {
            foreach (var ping in before)
                await producer.ProduceAsync(topic, PlainKafka.Message(ping, $"key-{ping.Sequence % 4}"));
            await Eventually.True(() => log.Succeeded.Count == before.Count, "the first records consumed");
        }

        foreach (var ping in after)
            await producer.ProduceAsync(topic, PlainKafka.Message(ping, $"key-{ping.Sequence % 4}"));
        await using var second = await KafkaTestHost.Start(settings, k => k.AddEndpoint("pings", e => e.Consumer<PingConsumer>()), log, name: "second");

        // Records of a partition are processed in order, so once everything is committed any record
        // read again would already be in the log.
        await Eventually.Get(() => TotalCommitted(topic, group, 2), total => total == before.Count + after.Count, "every offset committed");
        Assert.Equal(after.Select(p => p.Id).Order(), log.Succeeded.Where(e => e.Host == "second").Select(e => e.Id).Order());
    }

    async Task<long> TotalCommitted(string topic, string group, int partitions)
    {
        long total = 0;
        for (var p = 0; p < partitions; p++)
            total += await PlainKafka.Committed(kafka.BootstrapServers, group, new TopicPartition(topic, p)) ?? 0;
        return total;
    }

    static Ping Ping(int sequence, string? text = null) => new(Guid.NewGuid(), "k", sequence, text);
}
