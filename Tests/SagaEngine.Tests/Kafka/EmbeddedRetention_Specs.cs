using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.DependencyInjection;
using SagaEngine.Host.Kafka.Clients;
using SagaEngine.Host.Kafka.EmbeddedBroker;
using SagaEngine.Host.Kafka.Producing;
using SagaEngine.Tests.Kafka.Consumers;
using SagaEngine.Tests.Kafka.Messages;
using SagaEngine.Tests.Kafka.Support;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Kafka;

/// <summary>
/// The embedded broker walks a partition's log from its oldest record on every fetch, so the host drops the
/// records that every one of its consumer groups has committed past once they are older than
/// <c>Kafka:EmbeddedRetentionSeconds</c>; a group that has not read them yet keeps them, and so does a hold.
/// </summary>
public class EmbeddedRetention_Specs
{
    const int Records = 30;

    static Task<KafkaTestHost> Start(params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Kafka:Partitions"] = "1",
            ["Kafka:EmbeddedRetentionSeconds"] = "1",
            ["Kafka:Endpoints:pings:Topics:0"] = "pings",
            ["Kafka:Endpoints:pings:Group"] = "pings-group"
        };
        foreach (var (key, value) in more)
            settings[key] = value;
        return KafkaTestHost.Start(settings, k => k.AddEndpoint("pings", e => e.Consumer<PingConsumer>()));
    }

    static async Task ProduceAndConsume(KafkaTestHost host, ConsumedLog log)
    {
        var before = log.Succeeded.Count;
        var pings = Enumerable.Range(0, Records).Select(i => new Ping(Guid.NewGuid(), $"k{i % 4}", i)).ToList();
        await host.Services.GetRequiredService<IKafkaProducer>().ProduceBatch(
            pings.Select(p => KafkaRecord.ForMessage("pings", p.Key, p, Guid.NewGuid())).ToList());
        await Eventually.True(() => log.Succeeded.Count == before + Records, "every record consumed");
    }

    static WatermarkOffsets Watermarks(KafkaTestHost host) =>
        host.Services.GetRequiredService<KafkaAdmin>().QueryWatermarks(new TopicPartition("pings", 0));

    [Fact]
    public async Task Should_drop_the_records_every_group_has_committed_once_they_are_older_than_the_window()
    {
        await using var host = await Start();
        var log = host.Services.GetRequiredService<ConsumedLog>();

        await ProduceAndConsume(host, log);

        var kept = await Eventually.Get(() => Watermarks(host), w => w.Low.Value == Records, "the consumed records dropped");
        Assert.Equal(Records, kept.High.Value);
        // What comes after is consumed as before: the group goes on from its committed offset.
        await ProduceAndConsume(host, log);
        await Eventually.True(() => Watermarks(host).Low.Value == 2 * Records, "the next records dropped too");
    }

    [Fact]
    public async Task Should_keep_what_a_group_of_the_host_has_not_committed_past_until_it_has()
    {
        // A second group reads the topic (another service's, say) and has read nothing yet.
        await using var host = await Start(("Kafka:Endpoints:audit:Topics:0", "pings"), ("Kafka:Endpoints:audit:Group", "audit-group"));
        var log = host.Services.GetRequiredService<ConsumedLog>();

        await ProduceAndConsume(host, log);
        await Task.Delay(TimeSpan.FromSeconds(3));

        Assert.Equal(0, Watermarks(host).Low.Value);
        using (var admin = PlainKafka.Admin(host.Services.GetRequiredService<KafkaCluster>().BootstrapServers))
            await admin.AlterConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitionOffsets("audit-group", [new TopicPartitionOffset("pings", 0, Records)])]);
        await Eventually.True(() => Watermarks(host).Low.Value == Records, "the records dropped once the second group is past them");
    }

    [Fact]
    public async Task Should_drop_nothing_while_a_hold_is_open()
    {
        await using var host = await Start();
        var log = host.Services.GetRequiredService<ConsumedLog>();
        var hold = host.Services.GetRequiredService<RetentionHolds>().Hold();

        await ProduceAndConsume(host, log);
        await Task.Delay(TimeSpan.FromSeconds(3));

        Assert.Equal(0, Watermarks(host).Low.Value);
        hold.Dispose();
        await Eventually.True(() => Watermarks(host).Low.Value == Records, "the records dropped once the hold is released");
    }

    [Fact]
    public async Task Should_keep_everything_with_a_window_of_zero()
    {
        await using var host = await Start(("Kafka:EmbeddedRetentionSeconds", "0"));
        var log = host.Services.GetRequiredService<ConsumedLog>();

        await ProduceAndConsume(host, log);
        await Task.Delay(TimeSpan.FromSeconds(3));

        Assert.Equal((0, Records), (Watermarks(host).Low.Value, Watermarks(host).High.Value));
    }
}
