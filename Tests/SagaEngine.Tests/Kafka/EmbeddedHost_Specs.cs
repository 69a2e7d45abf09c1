using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using SagaEngine.Host.Kafka.Monitoring;
using SagaEngine.Host.Kafka.Producing;
using SagaEngine.Tests.Kafka.Consumers;
using SagaEngine.Tests.Kafka.Messages;
using SagaEngine.Tests.Kafka.Support;

using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Kafka;

/// <summary>What `dotnet run` does: no cluster configured, so the host runs its own broker and chooses its own settings.</summary>
public class EmbeddedHost_Specs
{
    [Fact]
    public async Task Should_create_its_topics_on_its_own_broker_and_consume_what_it_produces()
    {
        var log = new ConsumedLog();
        await using var host = await KafkaTestHost.Start(new Dictionary<string, string?>
            {
                ["Kafka:Partitions"] = "3",
                ["Kafka:Endpoints:pings:Topics:0"] = "pings",
                ["Kafka:Endpoints:pings:Group"] = "pings-group"
            },
            k => k.AddEndpoint("pings", e => e.Consumer<PingConsumer>()), log);
        var pings = Enumerable.Range(0, 10).Select(i => new Ping(Guid.NewGuid(), $"k{i % 4}", i)).ToList();

        await host.Services.GetRequiredService<IKafkaProducer>().ProduceBatch(
            pings.Select(p => KafkaRecord.ForMessage("pings", p.Key, p, Guid.NewGuid())).ToList());

        await Eventually.True(() => log.Succeeded.Count == pings.Count, "every record consumed");
        var overview = await host.Client.GetFromJsonAsync<KafkaOverview>("/kafka");
        Assert.True(overview!.Embedded);
        // The endpoint's topic and its dead-letter topic.
        Assert.Equal([("pings", 3), ("pings.pings-group.dlq", 3)], overview.Topics.Select(t => (t.Name, t.Partitions)).OrderBy(t => t.Name));
        var group = await Eventually.Get(async () => (await host.Client.GetFromJsonAsync<ConsumerGroupsView>("/kafka/consumer-groups"))!.Groups.Single(),
            g => g.Lag == 0 && g.Partitions.Sum(p => p.CommittedOffset ?? 0) == pings.Count, "everything committed");
        Assert.Equal(3, group.Members.Single().Assignment.Count);
    }
}
