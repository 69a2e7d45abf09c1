using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using SagaEngine.Host.Kafka.Configuration;
using SagaEngine.Host.Kafka.Consuming;
using SagaEngine.Tests.Kafka.Consumers;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Kafka;

public class KafkaOptions_Specs
{
    [Fact]
    public void Should_name_each_bad_setting()
    {
        var options = new KafkaOptions
        {
            Partitions = 0,
            EmbeddedRetentionSeconds = -1,
            EmbeddedBrokers = 2,
            ReplicationFactor = 3,
            RetryBackoffMs = 500,
            RetryBackoffMaxMs = 100,
            Topics = ["fine", "not fine"],
            Endpoints = { ["pings"] = new KafkaEndpointOptions { Topics = [], Group = " " } }
        };

        var failures = Validate(options, new KafkaEndpointDefinition("pongs").Consumer<PingConsumer>()).Failures!.ToList();

        Assert.Collection(failures,
            f => Assert.StartsWith("Kafka:Partitions must be at least 1 (was 0)", f),
            f => Assert.StartsWith("Kafka:EmbeddedRetentionSeconds must be at least 0 (was -1)", f),
            f => Assert.StartsWith("Kafka:ReplicationFactor must be at most Kafka:EmbeddedBrokers (2)", f),
            f => Assert.StartsWith("Kafka:RetryBackoffMaxMs must be at least Kafka:RetryBackoffMs (500)", f),
            f => Assert.StartsWith("Kafka:Topics:1 is not a valid topic name", f),
            f => Assert.StartsWith("Kafka:Endpoints:pings:Topics must name at least one topic", f),
            f => Assert.StartsWith("Kafka:Endpoints:pings:Group is required", f),
            f => Assert.StartsWith("Kafka:Endpoints:pongs is missing", f));
    }

    [Fact]
    public void Should_name_each_bad_dead_letter_setting()
    {
        var options = new KafkaOptions
        {
            MaxRecordBytes = 0,
            MaxDeliveryAttempts = 0,
            DeadLetterProduceTimeoutMs = 0,
            PermanentExceptions = ["System.ArgumentException", " "],
            Endpoints =
            {
                ["pings"] = new KafkaEndpointOptions { Topics = ["pings"], Group = "g", MaxDeliveryAttempts = 0 },
                ["pongs"] = new KafkaEndpointOptions { Topics = [new string('t', 240)], Group = "group" }
            }
        };

        var failures = Validate(options).Failures!.ToList();

        Assert.Collection(failures,
            f => Assert.StartsWith("Kafka:MaxRecordBytes must be at least 1 (was 0)", f),
            f => Assert.StartsWith("Kafka:MaxDeliveryAttempts must be at least 1 (was 0)", f),
            f => Assert.StartsWith("Kafka:DeadLetterProduceTimeoutMs must be at least 1 (was 0)", f),
            f => Assert.StartsWith("Kafka:PermanentExceptions:1 must name an exception type", f),
            f => Assert.StartsWith("Kafka:Endpoints:pings:MaxDeliveryAttempts must be at least 1 (was 0)", f),
            f => Assert.StartsWith("Kafka:Endpoints:pongs:Group 'group' with topic", f));
    }

    [Fact]
    public void Should_take_an_endpoints_own_max_delivery_attempts_over_the_default()
    {
        var options = new KafkaOptions { MaxDeliveryAttempts = 7, Endpoints = { ["pings"] = new KafkaEndpointOptions { MaxDeliveryAttempts = 2 } } };

        Assert.Equal((2, 7), (options.MaxDeliveryAttemptsOf("pings"), options.MaxDeliveryAttemptsOf("pongs")));
    }

    [Fact]
    public void Should_find_an_endpoints_topology_whatever_the_case_of_its_name()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kafka:Endpoints:Order-Saga:Topics:0"] = "orders",
            ["Kafka:Endpoints:Order-Saga:Group"] = "saga"
        }).Build();
        var options = configuration.GetSection(KafkaOptions.Section).Get<KafkaOptions>()!;

        Assert.True(Validate(options, new KafkaEndpointDefinition("order-saga").Consumer<PingConsumer>()).Succeeded);
        Assert.Equal("saga", options.Endpoints["order-saga"].Group);
    }

    [Fact]
    public void Should_accept_the_defaults()
    {
        Assert.True(Validate(new KafkaOptions()).Succeeded);
    }

    [Fact]
    public async Task Should_stop_the_host_from_starting_with_a_bad_setting()
    {
        await using var host = new SagaEngineFactory().With("Kafka:Partitions", "0");

        var error = Assert.Throws<OptionsValidationException>(() => host.CreateClient());

        Assert.Contains("Kafka:Partitions must be at least 1 (was 0)", error.Message);
    }

    static ValidateOptionsResult Validate(KafkaOptions options, params KafkaEndpointDefinition[] endpoints) =>
        new KafkaOptionsValidator(endpoints).Validate(null, options);
}
