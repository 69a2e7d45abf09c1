using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SagaEngine.Host.Kafka.Configuration;
using SagaEngine.Host.Kafka.Consuming;
using SagaEngine.Tests.Host;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Kafka;

/// <summary>
/// Every message type an endpoint consumes, as MassTransit's registrations say, must have a
/// Kafka:PublishTopics entry naming one of that endpoint's topics, or the host does not start.
/// </summary>
public class PublishRoutes_Specs
{
    [Fact]
    public async Task Should_stop_start_up_naming_a_consumed_type_routed_to_a_topic_its_endpoint_does_not_read()
    {
        await using var host = new SagaEngineFactory().With("Kafka:PublishTopics:PaymentRefunded", "inventory.commands");

        var error = Record.Exception(() => host.CreateClient());

        Assert.NotNull(error);
        Assert.Contains("Kafka endpoint 'order-saga' consumes PaymentRefunded, but Kafka:PublishTopics:PaymentRefunded is 'inventory.commands'",
            A_bad_setting.Flatten(error));
    }

    [Fact]
    public async Task Should_name_each_consumed_type_of_each_endpoint_that_has_no_route_at_all()
    {
        await using var host = new SagaEngineFactory();
        var options = host.Services.GetRequiredService<IOptions<KafkaOptions>>().Value;
        var validator = new PublishRoutesValidator(host.Services.GetServices<KafkaEndpointDefinition>(), host.Services);
        Assert.True(validator.Validate(null, options).Succeeded);

        var unrouted = new KafkaOptions { Endpoints = options.Endpoints, PublishTopics = new(options.PublishTopics, StringComparer.OrdinalIgnoreCase) };
        foreach (var type in new[] { "CompensationTimedOut", "RefundPayment", "InventoryReleased" })
            unrouted.PublishTopics.Remove(type);
        var result = validator.Validate(null, unrouted);

        Assert.True(result.Failed);
        Assert.Equal(
        [
            "Kafka endpoint 'order-saga' consumes CompensationTimedOut, but Kafka:PublishTopics:CompensationTimedOut is not set",
            "Kafka endpoint 'order-saga' consumes InventoryReleased, but Kafka:PublishTopics:InventoryReleased is not set",
            "Kafka endpoint 'payment' consumes RefundPayment, but Kafka:PublishTopics:RefundPayment is not set"
        ], result.Failures!.Select(f => f[..f.IndexOf(':', f.IndexOf("PublishTopics:", StringComparison.Ordinal) + 14)]).Order());
    }
}
