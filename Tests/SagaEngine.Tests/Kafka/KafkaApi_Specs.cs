using System.Net.Http.Json;
using SagaEngine.Host.Kafka.Monitoring;
using SagaEngine.Tests.Kafka.Consumers;
using SagaEngine.Tests.Kafka.Messages;
using SagaEngine.Tests.Kafka.Support;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Kafka;

public class KafkaApi_Specs(KafkaBrokerFixture kafka) : IClassFixture<KafkaBrokerFixture>
{
    [Fact]
    public async Task Should_report_lag_while_a_consumer_is_held_up_and_zero_once_it_has_caught_up()
    {
        var topic = kafka.Topic(partitions: 1);
        var group = KafkaNames.Unique("group");
        var behaviour = new PingBehaviour { Gated = true };
        await using var host = await KafkaTestHost.Start(
            KafkaSettings.For(kafka.BootstrapServers).WithEndpoint("pings", topic, group),
            k => k.AddEndpoint("pings", e => e.Consumer<PingConsumer>()), behaviour: behaviour);
        using var producer = PlainKafka.Producer(kafka.BootstrapServers);
        for (var i = 0; i < 5; i++)
            await producer.ProduceAsync(topic, PlainKafka.Message(new Ping(Guid.NewGuid(), "k", i), "k"));

        var held = await Eventually.Get(() => Group(host, group), g => g.Lag == 5 && g.Members.Count == 1 && g.Members[0].Assignment.Count == 1,
            "five records of lag and the member listed with its partition");
        Assert.Equal((topic, 0, (long?)null, 5L, 5L), held.Partitions.Single() is var p
            ? (p.Topic, p.Partition, p.CommittedOffset, p.HighWatermark, p.Lag)
            : default);
        Assert.Equal([$"{topic}[0]"], held.Members.Single().Assignment);
        Assert.Equal("this-process", held.MembersSource);

        behaviour.OpenGate();

        var caughtUp = await Eventually.Get(() => Group(host, group), g => g.Lag == 0, "the lag back to zero");
        Assert.Equal(5, caughtUp.Partitions.Single().CommittedOffset);
        Assert.Equal(5, caughtUp.Records!.Processed);
    }

    [Fact]
    public async Task Should_report_a_topic_that_has_fewer_partitions_than_configured()
    {
        var small = kafka.Topic(partitions: 2);
        var large = kafka.Topic(partitions: 6);
        await using var host = await KafkaTestHost.Start(
            KafkaSettings.For(kafka.BootstrapServers, ("Partitions", "6"), ("Topics:0", small), ("Topics:1", large)), _ => { });

        var overview = await host.Client.GetFromJsonAsync<KafkaOverview>("/kafka");

        Assert.Equal([small], overview!.TopicsWithFewerPartitions);
        Assert.Equal((2, 6, true), overview.Topics.Single(t => t.Name == small) is var t ? (t.Partitions, t.ConfiguredPartitions, t.FewerPartitionsThanConfigured) : default);
        Assert.False(overview.Embedded);
        Assert.Contains(host.Logs.Lines, l => l.Level == Microsoft.Extensions.Logging.LogLevel.Warning && l.Message.Contains(small));
        Assert.DoesNotContain(host.Logs.Lines, l => l.Message.Contains(large));
    }

    [Fact]
    public async Task Should_start_the_embedded_broker_create_the_configured_topics_and_show_them()
    {
        await using var host = new SagaEngineFactory()
            .With("Kafka:Partitions", "4")
            .With("Kafka:Topics:0", "alpha")
            .With("Kafka:Endpoints:beta:Topics:0", "beta")
            .With("Kafka:Endpoints:beta:Group", "beta-group");
        var client = host.CreateClient();

        var overview = await client.GetFromJsonAsync<KafkaOverview>("/kafka");
        var groups = await client.GetFromJsonAsync<ConsumerGroupsView>("/kafka/consumer-groups");

        Assert.True(overview!.Embedded);
        Assert.Matches(@"^127\.0\.0\.1:\d+$", overview.BootstrapServers);
        // The read models' groups read the event topics too, each with dead-letter topics of its own.
        string[] projections = ["projection-customer-orders", "projection-order-stats", "projection-sales"];
        Assert.Equal(["alpha", "beta", "beta.beta-group.dlq", "inventory.commands", "inventory.commands.inventory.dlq", "inventory.replies",
                "inventory.replies.order-saga.dlq", .. projections.Select(g => $"inventory.replies.{g}.dlq"), "orders.events",
                "orders.events.order-saga.dlq", .. projections.Select(g => $"orders.events.{g}.dlq"), "payment.commands",
                "payment.commands.payment.dlq", "payment.replies", "payment.replies.order-saga.dlq", .. projections.Select(g => $"payment.replies.{g}.dlq")],
            overview.Topics.Select(t => t.Name).Order(StringComparer.Ordinal));
        Assert.All(overview.Topics, t => Assert.Equal(4, t.Partitions));
        Assert.Empty(overview.TopicsWithFewerPartitions);
        // Beside the order flow's own groups (order-saga, inventory, payment).
        var group = groups!.Groups.Single(g => g.Group == "beta-group");
        Assert.Equal(("beta-group", "beta", 4, 0L), (group.Group, group.Endpoint, group.Partitions.Count, group.Lag));
        Assert.Null(group.Records);
    }

    static async Task<ConsumerGroupView> Group(KafkaTestHost host, string group)
    {
        var view = await host.Client.GetFromJsonAsync<ConsumerGroupsView>("/kafka/consumer-groups");
        return view!.Groups.Single(g => g.Group == group);
    }
}
