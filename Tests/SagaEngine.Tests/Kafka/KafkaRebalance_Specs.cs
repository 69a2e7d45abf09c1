using Microsoft.Extensions.DependencyInjection;
using SagaEngine.Host.Kafka.Producing;
using SagaEngine.Tests.Kafka.Consumers;
using SagaEngine.Tests.Kafka.Messages;
using SagaEngine.Tests.Kafka.Support;

using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Kafka;

public class KafkaRebalance_Specs(KafkaBrokerFixture kafka) : IClassFixture<KafkaBrokerFixture>
{
    const int Partitions = 6, Keys = 24, PerBatch = 5;

    [Fact]
    public async Task Should_split_partitions_between_members_and_neither_lose_nor_repeat_a_record_when_one_joins_or_leaves()
    {
        var topic = kafka.Topic(Partitions);
        var group = KafkaNames.Unique("group");
        var settings = KafkaSettings.For(kafka.BootstrapServers).WithEndpoint("pings", topic, group);
        var log = new ConsumedLog();
        var sent = new List<Ping>();

        var a = await KafkaTestHost.Start(settings, k => k.AddEndpoint("pings", e => e.Consumer<PingConsumer>()), log, name: "a");
        var producer = a.Services.GetRequiredService<IKafkaProducer>();
        await Produce(producer, topic, sent, batch: 0);
        await Eventually.True(() => Assignment(a) == Partitions, "the only member to own every partition");

        // B joins while records are arriving and being processed.
        var arriving = Produce(producer, topic, sent, batch: 1);
        await using var b = await KafkaTestHost.Start(settings, k => k.AddEndpoint("pings", e => e.Consumer<PingConsumer>()), log, name: "b");
        await arriving;
        await Eventually.True(() => Assignment(a) > 0 && Assignment(b) > 0 && Assignment(a) + Assignment(b) == Partitions,
            "the partitions split between the two members");
        await Produce(producer, topic, sent, batch: 2);
        await Eventually.True(() => log.Succeeded.Count(e => e.Host == "b") > 0, "the new member to process records");

        // A leaves while records are arriving and being processed.
        arriving = Produce(b.Services.GetRequiredService<IKafkaProducer>(), topic, sent, batch: 3);
        await a.DisposeAsync();
        await arriving;
        await Eventually.True(() => Assignment(b) == Partitions, "the remaining member to own every partition");
        await Produce(b.Services.GetRequiredService<IKafkaProducer>(), topic, sent, batch: 4);

        await Eventually.True(() => log.Succeeded.Select(e => e.Id).Distinct().Count() == sent.Count, "every record processed");
        await Eventually.Get(() => TotalCommitted(topic, group), total => total == sent.Count, "every offset committed");

        var repeated = log.Succeeded.GroupBy(e => e.Id).Where(g => g.Count() > 1)
            .Select(g => $"{g.First().Key}/{g.First().Sequence} at [{g.First().Record.Partition}]@{g.First().Record.Offset} by {string.Join(",", g.Select(e => e.Host))}")
            .ToList();
        Assert.True(repeated.Count == 0, $"Processed more than once: {string.Join("; ", repeated.Take(10))}\n" +
                                         string.Join("\n", a.Logs.Lines.Concat(b.Logs.Lines).Where(l => l.Level >= Microsoft.Extensions.Logging.LogLevel.Information)
                                             .Select(l => l.Message).Where(m => !m.StartsWith("Configured")).Take(40)));
        Assert.Equal(sent.Select(p => p.Id).Order(), log.Succeeded.Select(e => e.Id).Order());
        foreach (var key in log.Succeeded.GroupBy(e => e.Key))
            Assert.Equal(Enumerable.Range(0, 5 * PerBatch), key.Select(e => e.Sequence));
        Assert.Contains(log.Succeeded, e => e.Host == "a");
    }

    static int Assignment(KafkaTestHost host) => host.Endpoint("pings").Membership.Assignment.Count;

    static async Task Produce(IKafkaProducer producer, string topic, List<Ping> sent, int batch)
    {
        var pings = Enumerable.Range(batch * PerBatch, PerBatch)
            .SelectMany(sequence => Enumerable.Range(0, Keys).Select(key => new Ping(Guid.NewGuid(), $"key-{key}", sequence)))
            .ToList();
        lock (sent)
            sent.AddRange(pings);
        var deliveries = await producer.ProduceBatch(pings.Select(p => KafkaRecord.ForMessage(topic, p.Key, p, Guid.NewGuid())).ToList());
        Assert.All(deliveries, d => Assert.True(d.Delivered));
    }

    async Task<long> TotalCommitted(string topic, string group)
    {
        long total = 0;
        for (var p = 0; p < Partitions; p++)
            total += await PlainKafka.Committed(kafka.BootstrapServers, group, new Confluent.Kafka.TopicPartition(topic, p)) ?? 0;
        return total;
    }
}
