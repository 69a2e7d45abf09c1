using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using MassTransit;
using SagaEngine.Sagas;
using SagaEngine.Host.Api;
using SagaEngine.Host.Persistence;
using SagaEngine.Tests.Persistence;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Kafka;

/// <summary>
/// One order whose handler always throws, on a single partition shared with every other order: the
/// poisoned record is retried as its kind of fault allows, dead-lettered, and the partition moves on.
/// </summary>
public class PoisonMessage_Specs
{
    const string Poison = "tok_poison";

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Should_dead_letter_a_record_whose_handler_always_throws_and_complete_the_orders_behind_it(DatabaseProvider provider)
    {
        var poisoned = new PoisonedOrders(Poison, () => new InvalidOperationException("The handler is broken for this order."));
        await using var host = Host(provider, poisoned);
        var api = new OrdersClient(host.CreateClient());

        var poisonedId = await api.Submit(token: Poison);
        var others = new List<Guid>();
        for (var i = 0; i < 5; i++)
            others.Add(await api.Submit());

        foreach (var orderId in others)
            Assert.Equal("Confirmed", (await api.WaitUntilEnded(orderId)).State);
        var deadLetter = await DeadLetterOf(api, poisonedId);
        Assert.Equal(("attempts-exhausted", 3, 0, typeof(InvalidOperationException).FullName),
            (deadLetter.Fault, deadLetter.Attempts, deadLetter.Partition, deadLetter.ExceptionType));
        // A fault that is neither a conflict nor transient is not retried inside the pipeline: one call per delivery.
        Assert.Equal(3, poisoned.Attempts);
        Assert.Equal(OrdersApi.SubmittedState, (await api.Find(poisonedId))!.State);
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Should_retry_a_transient_fault_inside_the_pipeline_before_each_delivery_counts(DatabaseProvider provider)
    {
        var poisoned = new PoisonedOrders(Poison, () => new TimeoutException("A dependency timed out."));
        await using var host = Host(provider, poisoned)
            .With("Retry:Endpoints:order-saga:TransientRetries", "2")
            .With("Retry:Endpoints:order-saga:TransientMinBackoff", "00:00:00.010");
        var api = new OrdersClient(host.CreateClient());

        var poisonedId = await api.Submit(token: Poison);
        var other = await api.Submit();

        Assert.Equal("Confirmed", (await api.WaitUntilEnded(other)).State);
        var deadLetter = await DeadLetterOf(api, poisonedId);
        Assert.Equal(("attempts-exhausted", 3), (deadLetter.Fault, deadLetter.Attempts));
        // Three deliveries, each a first try and two back-off retries.
        Assert.Equal(9, poisoned.Attempts);
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Should_dead_letter_a_permanent_fault_at_its_first_attempt(DatabaseProvider provider)
    {
        var poisoned = new PoisonedOrders(Poison, () => new ArgumentException("This order can never be handled."));
        await using var host = Host(provider, poisoned);
        var api = new OrdersClient(host.CreateClient());

        var poisonedId = await api.Submit(token: Poison);
        var other = await api.Submit();

        Assert.Equal("Confirmed", (await api.WaitUntilEnded(other)).State);
        var deadLetter = await DeadLetterOf(api, poisonedId);
        Assert.Equal(("permanent", 1), (deadLetter.Fault, deadLetter.Attempts));
        Assert.Equal(1, poisoned.Attempts);
    }

    /// <summary>One partition per topic, so the poisoned order and all the others share it.</summary>
    static SagaEngineFactory Host(DatabaseProvider provider, PoisonedOrders poisoned) =>
        new SagaEngineFactory(provider)
            .With("Kafka:Partitions", "1")
            .With("Kafka:RetryBackoffMs", "50")
            .With("Kafka:Endpoints:order-saga:MaxDeliveryAttempts", "3")
            .WithServices(s => s.AddSingleton<IEventObserver<OrderState>>(poisoned));

    static async Task<DeadLetterSummary> DeadLetterOf(OrdersClient api, Guid orderId)
    {
        var page = await Eventually.Get(() => api.Http.GetFromJsonAsync<DeadLetterPage>("/dead-letters?topic=orders.events")!,
            p => p!.Items.Any(d => d.Key == orderId.ToString()), "the poisoned order's record dead-lettered");
        return page!.Items.Single(d => d.Key == orderId.ToString());
    }
}
