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
        await using var host = await PingsHost(log, partitions: 3);
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
    public async Task Should_stop_fetching_while_idle_wake_when_it_produces_and_still_find_what_another_process_produced()
    {
        var log = new ConsumedLog();
        await using var host = await PingsHost(log);
        var endpoint = host.Endpoint("pings");
        var producer = host.Services.GetRequiredService<IKafkaProducer>();
        Task Produce(Ping ping) => producer.Produce(KafkaRecord.ForMessage("pings", ping.Key, ping, Guid.NewGuid()));

        await Eventually.True(() => endpoint.Sleeping, "asleep once idle");
        // Looks that find nothing new leave it asleep.
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.True(endpoint.Sleeping);
        // What the host produces wakes the endpoint as it is acknowledged, not at its next look.
        await Produce(new Ping(Guid.NewGuid(), "k1", 1));
        Assert.False(endpoint.Sleeping);
        await Eventually.True(() => log.Succeeded.Count == 1, "the record consumed");

        // Records another process produces (here a producer the endpoint does not hear from) find it asleep, or just
        // falling asleep, or just woken: a look at the partitions' end offsets finds every one of them.
        using var elsewhere = new KafkaProducer(host.Services.GetRequiredService<KafkaClientConfigs>(), host.Services.GetRequiredService<ILoggerFactory>());
        for (var i = 2; i <= 12; i++)
        {
            if (i % 4 == 2)
                await Eventually.True(() => endpoint.Sleeping, "asleep again");
            else
                await Task.Delay(TimeSpan.FromMilliseconds(97 * i % 1100));
            var ping = new Ping(Guid.NewGuid(), $"k{i}", i);
            await elsewhere.Produce(KafkaRecord.ForMessage("pings", ping.Key, ping, Guid.NewGuid()));
            var expected = i;
            await Eventually.True(() => log.Succeeded.Count == expected, $"the other process's record {i} consumed", seconds: 5);
        }
    }

    [Fact]
    public async Task Should_wake_a_sleeping_endpoint_to_read_again_from_where_a_group_reset_moved_it()
    {
        var log = new ConsumedLog();
        await using var host = await PingsHost(log, partitions: 2);
        var endpoint = host.Endpoint("pings");
        var producer = host.Services.GetRequiredService<IKafkaProducer>();
        foreach (var ping in Enumerable.Range(1, 4).Select(i => new Ping(Guid.NewGuid(), $"k{i}", i)))
            await producer.Produce(KafkaRecord.ForMessage("pings", ping.Key, ping, Guid.NewGuid()));
        await Eventually.True(() => log.Succeeded.Count == 4, "every record consumed");
        await Eventually.True(() => endpoint.Sleeping, "asleep once idle");

        await endpoint.MoveOffsets(endpoint.Membership.Assignment.ToDictionary(p => p, _ => 0L));

        await Eventually.True(() => log.Succeeded.Count == 8, "every record consumed again after the move", seconds: 10);
    }

    [Fact]
    public async Task Should_warn_at_start_up_and_be_degraded_because_records_in_flight_are_lost_when_the_process_stops()
    {
        await using var host = await PingsHost();

        var warning = Assert.Single(host.Logs.Lines, l => l.Category == typeof(KafkaStartup).FullName);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains(KafkaCluster.EmbeddedBrokerWarning, warning.Message);
        var health = await ActivatorUtilities.CreateInstance<KafkaHealthCheck>(host.Services).CheckHealthAsync(new HealthCheckContext());
        Assert.Equal((HealthStatus.Degraded, KafkaCluster.EmbeddedBrokerWarning), (health.Status, health.Description));
    }

    /// <summary>A host on its own embedded broker with one endpoint, pings, consuming topic pings.</summary>
    static Task<KafkaTestHost> PingsHost(ConsumedLog? log = null, int? partitions = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Kafka:Endpoints:pings:Topics:0"] = "pings",
            ["Kafka:Endpoints:pings:Group"] = "pings-group"
        };
        if (partitions is { } count)
            settings["Kafka:Partitions"] = count.ToString();
        return KafkaTestHost.Start(settings, k => k.AddEndpoint("pings", e => e.Consumer<PingConsumer>()), log);
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
