using System.Net;
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
/// poisoned order's key is parked and retried beside the others, which keep flowing at their usual
/// latency; once its deliveries are exhausted it is dead-lettered with its key held, and a replay after
/// the fix completes it.
/// </summary>
public class PoisonMessage_Specs
{
    const string Poison = "tok_poison";
    const int Orders = 200;

    /// <summary>
    /// Ten orders a second to each host: well below what a host handles, so an order's latency is its own,
    /// not a queue's.
    /// </summary>
    static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(50);

    /// <remarks>
    /// The run without the poison is the same run on a second host, at the same time, order for order: on a
    /// shared machine a stall (another process busy, a collection) then hits both runs, not one.
    /// </remarks>
    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Should_keep_the_other_orders_at_their_latency_while_a_poisoned_order_is_retried_and_complete_it_after_replay(
        DatabaseProvider provider)
    {
        var poisoned = new PoisonedOrders(Poison, () => new InvalidOperationException("The handler is broken for this order."));
        // Each of its deliveries 3 s apart: a partition that waited for it would stand still for 6 s, far
        // longer than an order takes.
        await using var host = Host(provider, poisoned)
            .With("Kafka:RetryBackoffMs", "3000")
            .With("Kafka:RetryBackoffMaxMs", "3000");
        await using var clean = Host(provider, new PoisonedOrders(Poison, () => new InvalidOperationException("Not used.")));
        var api = new OrdersClient(host.CreateClient());
        var cleanApi = new OrdersClient(clean.CreateClient());

        await Run(api, cleanApi, 20);
        var poisonedId = await api.Submit(token: Poison);
        var (with, without) = await Run(api, cleanApi, Orders);

        // The poisoned order was being retried while the others went through.
        Assert.True(poisoned.Attempts >= 2, $"The poisoned order was tried {poisoned.Attempts} times during the run.");
        Assert.True(P99(with) <= 2 * P99(without),
            $"p99 with a poisoned order {P99(with).TotalMilliseconds:0} ms, without {P99(without).TotalMilliseconds:0} ms.");

        var deadLetter = await DeadLetterOf(api, poisonedId);
        Assert.Equal(("attempts-exhausted", 3, 0, typeof(InvalidOperationException).FullName),
            (deadLetter.Fault, deadLetter.Attempts, deadLetter.Partition, deadLetter.ExceptionType));
        // A fault that is neither a conflict nor transient is not retried inside the pipeline: one call per delivery.
        Assert.Equal(3, poisoned.Attempts);
        var held = await HeldKeyOf(api, deadLetter);
        Assert.Equal((poisonedId.ToString(), true, "held"), (held.Key, held.HeldByThis, held.State));
        Assert.Equal(OrdersApi.SubmittedState, (await api.Find(poisonedId))!.State);

        poisoned.Fixed = true;
        var replay = await api.Http.PostAsync($"/dead-letters/{deadLetter.Id}/replay", null);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        var replayed = (await replay.Content.ReadFromJsonAsync<DeadLetterReplayed>())!;
        Assert.Equal(("orders.events", deadLetter.Offset, 0), (replayed.Topic, replayed.Offset, replayed.ReleasedFollowers));

        var order = await api.WaitUntilEnded(poisonedId);
        Assert.Equal(["AwaitingInventory", "AwaitingPayment", "Confirmed"], order.History.Select(h => h.To));
        // Let go once none of its records is parked any more.
        await Eventually.Get(() => api.Http.GetFromJsonAsync<DeadLetterView>($"/dead-letters/{deadLetter.Id}"), v => v!.ParkedKey is null,
            "the poisoned order's key let go");
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
    public async Task Should_dead_letter_a_permanent_fault_at_its_first_attempt_and_hold_its_key(DatabaseProvider provider)
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
        Assert.Equal("held", (await HeldKeyOf(api, deadLetter)).State);
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Should_keep_the_poisoned_order_s_key_held_through_a_restart_and_complete_it_after_replay(DatabaseProvider provider)
    {
        await using var database = new TestDatabase(provider);
        long deadLetterId;
        Guid poisonedId;
        await using (var first = Host(database, new PoisonedOrders(Poison, () => new ArgumentException("Broken until the fix."))))
        {
            var api = new OrdersClient(first.CreateClient());
            poisonedId = await api.Submit(token: Poison);
            var deadLetter = await DeadLetterOf(api, poisonedId);
            await HeldKeyOf(api, deadLetter);
            deadLetterId = deadLetter.Id;
        }

        // The fix is deployed: a new host on the same database.
        await using var second = Host(database, new PoisonedOrders(Poison, () => new ArgumentException("Broken until the fix.")) { Fixed = true });
        var restarted = new OrdersClient(second.CreateClient());
        var other = await restarted.Submit();
        Assert.Equal("Confirmed", (await restarted.WaitUntilEnded(other)).State);
        var view = (await restarted.Http.GetFromJsonAsync<DeadLetterView>($"/dead-letters/{deadLetterId}"))!;
        Assert.Equal((poisonedId.ToString(), "held"), (view.ParkedKey!.Key, view.ParkedKey.State));
        Assert.Equal(OrdersApi.SubmittedState, (await restarted.Find(poisonedId))!.State);

        Assert.Equal(HttpStatusCode.OK, (await restarted.Http.PostAsync($"/dead-letters/{deadLetterId}/replay", null)).StatusCode);
        Assert.Equal("Confirmed", (await restarted.WaitUntilEnded(poisonedId)).State);
    }

    /// <summary>
    /// Submits orders to both hosts in turn at <see cref="Pace"/> and returns how long each took from
    /// acceptance to its end, per host.
    /// </summary>
    static async Task<(List<TimeSpan> First, List<TimeSpan> Second)> Run(OrdersClient first, OrdersClient second, int count)
    {
        var submitted = (First: new List<Task<Guid>>(count), Second: new List<Task<Guid>>(count));
        for (var i = 0; i < count; i++)
        {
            submitted.First.Add(first.Submit());
            await Task.Delay(Pace);
            submitted.Second.Add(second.Submit());
            await Task.Delay(Pace);
        }
        return (await Latencies(first, await Task.WhenAll(submitted.First)), await Latencies(second, await Task.WhenAll(submitted.Second)));
    }

    static async Task<List<TimeSpan>> Latencies(OrdersClient api, IEnumerable<Guid> orders)
    {
        var latencies = new List<TimeSpan>();
        foreach (var id in orders)
        {
            var order = await api.WaitUntilEnded(id, seconds: 60);
            Assert.Equal("Confirmed", order.State);
            latencies.Add(order.History[^1].At - order.CreatedAt);
        }
        return latencies;
    }

    /// <summary>Nearest rank: a latency some order really had.</summary>
    static TimeSpan P99(List<TimeSpan> latencies) =>
        latencies.Order().ElementAt((int)Math.Ceiling(0.99 * latencies.Count) - 1);

    /// <summary>One partition per topic, so the poisoned order and all the others share it.</summary>
    static SagaEngineFactory Host(DatabaseProvider provider, PoisonedOrders poisoned) => Configure(new SagaEngineFactory(provider), poisoned);

    static SagaEngineFactory Host(TestDatabase database, PoisonedOrders poisoned) => Configure(new SagaEngineFactory(database), poisoned);

    static SagaEngineFactory Configure(SagaEngineFactory host, PoisonedOrders poisoned) =>
        host.With("Kafka:Partitions", "1")
            .With("Kafka:RetryBackoffMs", "50")
            .With("Kafka:Endpoints:order-saga:MaxDeliveryAttempts", "3")
            .WithServices(s => s.AddSingleton<IEventObserver<OrderState>>(poisoned));

    static async Task<DeadLetterSummary> DeadLetterOf(OrdersClient api, Guid orderId)
    {
        var page = await Eventually.Get(() => api.Http.GetFromJsonAsync<DeadLetterPage>("/dead-letters?topic=orders.events")!,
            p => p!.Items.Any(d => d.Key == orderId.ToString()), "the poisoned order's record dead-lettered", seconds: 60);
        return page!.Items.Single(d => d.Key == orderId.ToString());
    }

    /// <summary>Dead-lettering the record and holding its key are two steps: waits for the second.</summary>
    static async Task<ParkedKeyOfDeadLetter> HeldKeyOf(OrdersClient api, DeadLetterSummary deadLetter) =>
        (await Eventually.Get(() => api.Http.GetFromJsonAsync<DeadLetterView>($"/dead-letters/{deadLetter.Id}"),
            v => v!.ParkedKey is { HeldByThis: true }, "the poisoned order's key held behind its dead letter"))!.ParkedKey!;
}
