using Microsoft.Extensions.Options;
using SagaEngine.Host.Kafka.Clients;
using SagaEngine.Host.Kafka.Configuration;
using SagaEngine.Host.Projections;

namespace SagaEngine.Tests.Projections;

/// <summary>
/// The embedded broker holds an empty fetch for its whole wait, so every idle consumer costs CPU once a wait.
/// A projection runner's consumer there waits <c>Projections:EmbeddedFetchWaitMaxMs</c> (a read model may trail a
/// little), an endpoint's keeps the short wait that bounds a hop of the order flow, and <c>Kafka:FetchWaitMaxMs</c>,
/// when set, is every consumer's.
/// </summary>
public class FetchWait_Specs
{
    [Fact]
    public void On_the_embedded_broker_a_runner_waits_its_own_setting_and_an_endpoint_the_short_wait()
    {
        var kafka = Options.Create(new KafkaOptions());
        using var cluster = new KafkaCluster(kafka);
        var configs = new KafkaClientConfigs(cluster, kafka);

        Assert.True(cluster.IsEmbedded);
        Assert.Equal(100, configs.Consumer("projection-sales", "runner", new ProjectionsOptions().EmbeddedFetchWaitMaxMs).FetchWaitMaxMs);
        Assert.Equal(KafkaClientConfigs.EmbeddedFetchWaitMaxMs, configs.Consumer("order-saga", "endpoint").FetchWaitMaxMs);
    }

    [Fact]
    public void Kafka_FetchWaitMaxMs_once_set_is_what_runners_wait_too()
    {
        var kafka = Options.Create(new KafkaOptions { FetchWaitMaxMs = 10 });
        using var cluster = new KafkaCluster(kafka);
        var configs = new KafkaClientConfigs(cluster, kafka);

        Assert.Equal(10, configs.Consumer("projection-sales", "runner", 100).FetchWaitMaxMs);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(5001)]
    public void A_wait_out_of_range_is_refused_naming_the_setting(int wait)
    {
        var validator = new ProjectionsOptionsValidator([], Options.Create(new KafkaOptions()));

        var result = validator.Validate(null, new ProjectionsOptions { EmbeddedFetchWaitMaxMs = wait });

        Assert.True(result.Failed);
        Assert.Contains($"Projections:EmbeddedFetchWaitMaxMs must be from 0 to 5000 (was {wait})", result.FailureMessage);
    }
}
