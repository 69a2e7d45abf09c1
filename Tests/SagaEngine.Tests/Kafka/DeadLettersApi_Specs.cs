using System.Net;
using System.Net.Http.Json;
using System.Text;
using Confluent.Kafka;
using MassTransit;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using SagaEngine.Contracts;
using SagaEngine.Host.Api;
using SagaEngine.Host.Kafka.Producing;
using SagaEngine.Host.Persistence;
using SagaEngine.Tests.Persistence;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Kafka;

/// <summary>GET /dead-letters and replay on the real host, over its embedded broker, on each database.</summary>
public class DeadLettersApi_Specs
{
    const string OrdersTopic = "orders.events";
    const string InventoryTopic = "inventory.commands";

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Should_list_garbage_records_with_their_reason_while_other_orders_keep_flowing(DatabaseProvider provider)
    {
        // The order flow's endpoints only: the read models' groups would dead-letter the garbage on orders.events too.
        await using var host = new SagaEngineFactory(provider).With("Projections:Enabled", "false");
        var api = new OrdersClient(host.CreateClient());
        var producer = host.Services.GetRequiredService<IKafkaProducer>();
        var submittedType = MessageUrn.ForTypeString<OrderSubmitted>();

        // One at a time, so the list's order (newest first) is known.
        await producer.ProduceCopy(OrdersTopic, Garbage("garbage-1", "not json", submittedType));
        await Eventually.Get(() => Page(api, ""), p => p.Items.Count == 1, "the first dead letter listed");
        var orderId = await api.Submit();
        await producer.ProduceCopy(OrdersTopic, Garbage("garbage-2", """{"orderId":"nope"}""", submittedType));
        await Eventually.Get(() => Page(api, ""), p => p.Items.Count == 2, "the second dead letter listed");
        await producer.ProduceCopy(InventoryTopic, Garbage("garbage-3", "{}", null));

        Assert.Equal("Confirmed", (await api.WaitUntilEnded(orderId)).State);
        var all = await Eventually.Get(() => Page(api, ""), p => p.Items.Count == 3, "three dead letters listed");
        Assert.Equal(["garbage-3", "garbage-2", "garbage-1"], all.Items.Select(d => d.Key));
        Assert.Null(all.Next);
        Assert.All(all.Items, d => Assert.Equal(("unreadable", 1, (DateTime?)null), (d.Fault, d.Attempts, d.ReplayedAt)));
        Assert.Equal((InventoryTopic, "inventory", $"{InventoryTopic}.inventory.dlq"), (all.Items[0].Topic, all.Items[0].Group, all.Items[0].DeadLetterTopic));
        Assert.Contains("MT-MessageType", all.Items[0].Reason);
        Assert.Contains("not a JSON object", all.Items[2].Reason);
        Assert.Contains("not a valid", all.Items[1].Reason);

        Assert.Equal(["garbage-2", "garbage-1"], (await Page(api, $"?topic={OrdersTopic}")).Items.Select(d => d.Key));
        Assert.Equal(["garbage-3"], (await Page(api, "?group=inventory")).Items.Select(d => d.Key));
        Assert.Empty((await Page(api, $"?topic={OrdersTopic}&group=inventory")).Items);

        var first = await Page(api, "?limit=2");
        Assert.Equal(["garbage-3", "garbage-2"], first.Items.Select(d => d.Key));
        var second = await Page(api, $"?limit=2&after={first.Next}");
        Assert.Equal(["garbage-1"], second.Items.Select(d => d.Key));
        Assert.Null(second.Next);

        var one = (await api.Http.GetFromJsonAsync<DeadLetterView>($"/dead-letters/{all.Items[2].Id}"))!;
        Assert.Equal(("not json", "garbage-1", 0L), (one.Body, one.DeadLetter.Key, one.DeadLetter.Offset));
        Assert.Equal([("MT-MessageType", submittedType), ("MessageId", GarbageMessageId), ("Origin", "test")], one.Headers.Select(h => (h.Name, h.Value)));

        Assert.Equal(HttpStatusCode.NotFound, (await api.Http.GetAsync("/dead-letters/999999")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.Http.PostAsync("/dead-letters/999999/replay", null)).StatusCode);
        foreach (var bad in new[] { "/dead-letters/abc", "/dead-letters/-1", "/dead-letters?limit=0", "/dead-letters?limit=501", "/dead-letters?after=xyz" })
        {
            var response = await api.Http.GetAsync(bad);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Should_complete_the_order_when_its_dead_lettered_event_is_replayed_after_the_fault_was_fixed_and_replay_only_once(
        DatabaseProvider provider)
    {
        var fault = new SwitchableSagaFault();
        await using var host = FaultyHost(provider, fault);
        var api = new OrdersClient(host.CreateClient());

        var orderId = await api.Submit();
        var listed = await Eventually.Get(() => Page(api, $"?topic={OrdersTopic}"), p => p.Items.Count == 1, "the OrderSubmitted dead-lettered");
        var deadLetter = listed.Items.Single();
        Assert.Equal(("attempts-exhausted", 2, "order-saga", typeof(TimeoutException).FullName),
            (deadLetter.Fault, deadLetter.Attempts, deadLetter.Group, deadLetter.ExceptionType));
        Assert.Equal(orderId.ToString(), deadLetter.Key);
        Assert.Equal(OrdersApi.SubmittedState, (await api.Find(orderId))!.State);

        fault.TurnOff();
        var replay = await api.Http.PostAsync($"/dead-letters/{deadLetter.Id}/replay", null);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        var replayed = (await replay.Content.ReadFromJsonAsync<DeadLetterReplayed>())!;
        Assert.Equal(OrdersTopic, replayed.Topic);

        Assert.Equal("Confirmed", (await api.WaitUntilEnded(orderId)).State);
        var after = (await api.Http.GetFromJsonAsync<DeadLetterView>($"/dead-letters/{deadLetter.Id}"))!;
        Assert.Equal(replayed.ReplayedAt, after.DeadLetter.ReplayedAt);

        var again = await api.Http.PostAsync($"/dead-letters/{deadLetter.Id}/replay", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("Already replayed.", (await again.Content.ReadFromJsonAsync<ProblemDetails>())!.Title);
        // One charge: the order went through once.
        Assert.Single(await api.Payments(orderId));
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Should_discard_a_dead_letter_once_releasing_its_key_and_refuse_to_replay_it_after(DatabaseProvider provider)
    {
        var fault = new SwitchableSagaFault();
        await using var host = FaultyHost(provider, fault);
        var api = new OrdersClient(host.CreateClient());

        var orderId = await api.Submit();
        var listed = await Eventually.Get(() => Page(api, $"?topic={OrdersTopic}"), p => p.Items.Count == 1, "the OrderSubmitted dead-lettered");
        var deadLetter = listed.Items.Single();
        var view = await Eventually.Get(() => api.Http.GetFromJsonAsync<DeadLetterView>($"/dead-letters/{deadLetter.Id}"),
            v => v!.ParkedKey is { HeldByThis: true }, "its key held behind it");
        Assert.Equal((orderId.ToString(), "held", 2), (view!.ParkedKey!.Key, view.ParkedKey.State, view.ParkedKey.Attempts));
        Assert.Empty(view.ParkedKey.Records);

        var discard = await api.Http.PostAsync($"/dead-letters/{deadLetter.Id}/discard", null);
        Assert.Equal(HttpStatusCode.OK, discard.StatusCode);
        var discarded = (await discard.Content.ReadFromJsonAsync<DeadLetterDiscarded>())!;
        Assert.Equal((deadLetter.Id, 0), (discarded.Id, discarded.ReleasedFollowers));
        var after = await Eventually.Get(() => api.Http.GetFromJsonAsync<DeadLetterView>($"/dead-letters/{deadLetter.Id}"),
            v => v!.ParkedKey is null, "its key let go");
        Assert.Equal((discarded.DiscardedAt, (DateTime?)null), (after!.DeadLetter.DiscardedAt, after.DeadLetter.ReplayedAt));

        foreach (var action in new[] { "discard", "replay" })
        {
            var again = await api.Http.PostAsync($"/dead-letters/{deadLetter.Id}/{action}", null);
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
            Assert.Equal("Already discarded.", (await again.Content.ReadFromJsonAsync<ProblemDetails>())!.Title);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await api.Http.PostAsync("/dead-letters/999999/discard", null)).StatusCode);
        Assert.Equal(OrdersApi.SubmittedState, (await api.Find(orderId))!.State);
    }

    /// <summary>
    /// The saga's OrderSubmitted fails while the fault is on: two deliveries, then a dead letter. The
    /// fault looks transient, so each delivery is retried inside the pipeline too; those retries are
    /// PoisonMessage_Specs' subject, not this one's, so they wait 20 ms each instead of backing off to
    /// 2 s (about 9 s a delivery).
    /// </summary>
    static SagaEngineFactory FaultyHost(DatabaseProvider provider, SwitchableSagaFault fault) =>
        new SagaEngineFactory(provider)
            .With("Kafka:RetryBackoffMs", "100")
            .With("Kafka:Endpoints:order-saga:MaxDeliveryAttempts", "2")
            .With("Retry:Endpoints:order-saga:TransientMaxBackoff", "00:00:00.020")
            .WithServices(s => s.AddSingleton<IConfigureReceiveEndpoint>(fault));

    static async Task<DeadLetterPage> Page(OrdersClient api, string query) =>
        (await api.Http.GetFromJsonAsync<DeadLetterPage>($"/dead-letters{query}"))!;

    /// <summary>Well-formed headers, so what is wrong is the body.</summary>
    const string GarbageMessageId = "5d2f6b1e-9c3a-4e7f-8b10-2a4c6e8f0b1d";

    static Message<string, byte[]> Garbage(string key, string body, string? messageType)
    {
        var headers = new Confluent.Kafka.Headers();
        if (messageType is not null)
        {
            headers.Add("MT-MessageType", Encoding.UTF8.GetBytes(messageType));
            headers.Add("MessageId", Encoding.UTF8.GetBytes(GarbageMessageId));
        }
        headers.Add("Origin", Encoding.UTF8.GetBytes("test"));
        return new Message<string, byte[]> { Key = key, Value = Encoding.UTF8.GetBytes(body), Headers = headers };
    }
}
