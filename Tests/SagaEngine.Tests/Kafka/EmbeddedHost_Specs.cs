using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using SagaEngine.Host.Kafka;
using SagaEngine.Host.Kafka.Clients;
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

    [Fact]
    public async Task Should_warn_at_start_up_and_be_degraded_because_records_in_flight_are_lost_when_the_process_stops()
    {
        await using var host = await KafkaTestHost.Start(new Dictionary<string, string?>
            {
                ["Kafka:Endpoints:pings:Topics:0"] = "pings",
                ["Kafka:Endpoints:pings:Group"] = "pings-group"
            },
            k => k.AddEndpoint("pings", e => e.Consumer<PingConsumer>()));

        var warning = Assert.Single(host.Logs.Lines, l => l.Category == typeof(KafkaStartup).FullName);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains(KafkaCluster.EmbeddedBrokerWarning, warning.Message);
        var health = await ActivatorUtilities.CreateInstance<KafkaHealthCheck>(host.Services).CheckHealthAsync(new HealthCheckContext());
        Assert.Equal((HealthStatus.Degraded, KafkaCluster.EmbeddedBrokerWarning), (health.Status, health.Description));
    }
}

/// <summary>A host on a broker of its own (as on a real cluster): nothing to warn about.</summary>
public class ClusterHost_Specs(KafkaBrokerFixture kafka) : IClassFixture<KafkaBrokerFixture>
{
    [Fact]
    public async Task Should_neither_warn_nor_be_degraded()
    {
        var topic = kafka.Topic(partitions: 1);
        await using var host = await KafkaTestHost.Start(
            KafkaSettings.For(kafka.BootstrapServers).WithEndpoint("pings", topic, KafkaNames.Unique("group")),
            k => k.AddEndpoint("pings", e => e.Consumer<PingConsumer>()));

        var startup = Assert.Single(host.Logs.Lines, l => l.Category == typeof(KafkaStartup).FullName);
        Assert.Equal(LogLevel.Information, startup.Level);
        var health = await ActivatorUtilities.CreateInstance<KafkaHealthCheck>(host.Services).CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Healthy, health.Status);
    }
}
