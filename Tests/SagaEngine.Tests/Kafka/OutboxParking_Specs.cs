using System.Net;
using System.Net.Http.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SagaEngine.Contracts;
using SagaEngine.Host.Api;
using SagaEngine.Host.Kafka.Clients;
using SagaEngine.Host.Kafka.Configuration;
using SagaEngine.Host.Persistence;
using SagaEngine.Host.Persistence.Outbox;
using SagaEngine.Tests.Kafka.Support;
using SagaEngine.Tests.Persistence;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Kafka;

/// <summary>
/// Outbox rows Kafka refuses (no route for their type, a topic the cluster does not have, a record over
/// the producer's size limit) are retried with back-off, then parked with the reason, holding back only
/// their own key; the relay claims one key a round here, so a refused key that it kept claiming would
/// starve every other one. An operator lists them and queues one again.
/// </summary>
public class OutboxParking_Specs
{
    const string Topic = "stock.adjustments";

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Should_park_a_row_without_a_route_or_topic_while_other_keys_flow_and_deliver_it_when_queued_again_after_the_fix(
        DatabaseProvider provider)
    {
        await using var host = Host(provider);
        var api = new OrdersClient(host.CreateClient());
        var key = Guid.NewGuid();
        await Publish(host, key, new StockAdjusted("SKU-1", 1), new OrderCancelled(key, "held-behind"));

        foreach (var id in new[] { await api.Submit(), await api.Submit(), await api.Submit() })
            Assert.Equal("Confirmed", (await api.WaitUntilEnded(id)).State);
        var parked = await ParkedOf(api, key, "No topic for published");
        Assert.Equal(3, parked.Attempts);
        Assert.Contains("StockAdjusted", parked.MessageType);
        Assert.Null(await DeliveredAt(host, key, nameof(OrderCancelled)));
        // Neither it nor the row held behind it is lag: once the orders' last messages are out, nothing is pending.
        await Eventually.Get(api.Outbox, s => s.Pending == 0 && s.Parked == 1, "nothing pending, one row parked");

        // A route to a topic the cluster does not have: refused before it is produced, so it holds nothing else up.
        host.Services.GetRequiredService<IOptions<KafkaOptions>>().Value.PublishTopics["StockAdjusted"] = Topic;
        Assert.Equal(HttpStatusCode.OK, (await Retry(api, parked.Id)).StatusCode);
        parked = await ParkedOf(api, key, $"Topic '{Topic}' does not exist");
        Assert.Equal(3, parked.Attempts);
        Assert.Equal("Confirmed", (await api.WaitUntilEnded(await api.Submit())).State);

        host.Services.GetRequiredService<KafkaCluster>().EmbeddedBroker!.CreateTopic(Topic, 1);
        var queued = await Retry(api, parked.Id);
        Assert.Equal(HttpStatusCode.OK, queued.StatusCode);
        Assert.Equal(parked.Id, (await queued.Content.ReadFromJsonAsync<ParkedOutboxMessageQueued>())!.Id);

        var adjusted = await Eventually.Get<DateTime?>(() => DeliveredAt(host, key, nameof(StockAdjusted)), at => at is not null, "the row delivered");
        var behind = await Eventually.Get<DateTime?>(() => DeliveredAt(host, key, nameof(OrderCancelled)), at => at is not null, "the row behind it delivered");
        Assert.True(behind >= adjusted);
        var record = Assert.Single(PlainKafka.ReadAll(host.Services.GetRequiredService<KafkaCluster>().BootstrapServers, Topic, 1));
        Assert.Equal(key.ToString(), record.Message.Key);
        Assert.Empty((await Parked(api)).Items);
        Assert.Equal(HttpStatusCode.Conflict, (await Retry(api, parked.Id)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Retry(api, 999_999_999)).StatusCode);
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Should_park_a_record_over_the_size_limit_and_hold_back_only_its_key(DatabaseProvider provider)
    {
        await using var host = Host(provider)
            .With("Kafka:PublishTopics:StockAdjusted", "orders.events")
            .With("Kafka:Producer:message.max.bytes", "20000")
            .With("Kafka:Producer:batch.size", "20000");
        var api = new OrdersClient(host.CreateClient());
        var key = Guid.NewGuid();
        await Publish(host, key, new StockAdjusted(new string('X', 50_000), 1), new StockAdjusted("SKU-1", 2));

        Assert.Equal("Confirmed", (await api.WaitUntilEnded(await api.Submit())).State);
        var parked = await ParkedOf(api, key, "MsgSizeTooLarge");
        Assert.Equal(3, parked.Attempts);
        // The small one behind it was never produced (no attempt counted) and waits.
        var behind = await host.Query(db => db.Set<OutboxMessage>().AsNoTracking()
            .Where(m => m.OrderingKey == key.ToString()).OrderBy(m => m.Sequence).Skip(1).SingleAsync());
        Assert.Equal((0, (DateTime?)null, (DateTime?)null), (behind.Attempts, behind.ParkedAt, behind.DeliveredAt));
        Assert.Equal("Confirmed", (await api.WaitUntilEnded(await api.Submit())).State);
    }

    [Fact]
    public async Task Should_list_parked_rows_newest_first_a_page_at_a_time_and_refuse_bad_paging()
    {
        await using var host = Host(DatabaseProvider.Sqlite);
        var api = new OrdersClient(host.CreateClient());
        var keys = new[] { Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid() };
        foreach (var key in keys)
            await Publish(host, key, new StockAdjusted("SKU-1", 1));

        await Eventually.Get(() => Parked(api), p => p.Items.Count == 3, "three rows parked");
        var first = (await api.Http.GetFromJsonAsync<ParkedOutboxPage>("/outbox/parked?limit=2"))!;
        var second = (await api.Http.GetFromJsonAsync<ParkedOutboxPage>($"/outbox/parked?limit=2&after={first.Next}"))!;
        Assert.Equal(keys.Reverse().Select(k => k.ToString()), first.Items.Concat(second.Items).Select(p => p.OrderingKey));
        Assert.Null(second.Next);
        foreach (var bad in new[] { "/outbox/parked?limit=0", "/outbox/parked?limit=501", "/outbox/parked?after=x" })
            Assert.Equal(HttpStatusCode.BadRequest, (await api.Http.GetAsync(bad)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.Http.PostAsync("/outbox/parked/abc/retry", null)).StatusCode);
    }

    /// <summary>Three refusals, 0.5 s then 1 s apart; one key claimed a round.</summary>
    static SagaEngineFactory Host(DatabaseProvider provider) =>
        new SagaEngineFactory(provider)
            .With("Outbox:MaxAttempts", "3")
            .With("Outbox:RetryBackoff", "00:00:00.5")
            .With("Outbox:RetryBackoffMax", "00:00:01")
            .With("Outbox:BatchSize", "1")
            .With("Outbox:PollInterval", "00:00:00.1");

    /// <summary>Commits the messages in one transaction, keyed by <paramref name="key"/>, as a handler would.</summary>
    static async Task Publish(SagaEngineFactory host, Guid key, params object[] messages)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var publish = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
        foreach (var message in messages)
            await publish.Publish(message, message.GetType(), Pipe.Execute<PublishContext>(c => c.CorrelationId = key));
        await scope.ServiceProvider.GetRequiredService<DbContext>().SaveChangesAsync();
    }

    static Task<DateTime?> DeliveredAt(SagaEngineFactory host, Guid key, string messageType) =>
        host.Query(db => db.Set<OutboxMessage>().AsNoTracking()
            .Where(m => m.OrderingKey == key.ToString() && m.MessageType.Contains(":" + messageType))
            .Select(m => m.DeliveredAt).SingleAsync());

    static async Task<ParkedOutboxPage> Parked(OrdersClient api) => (await api.Http.GetFromJsonAsync<ParkedOutboxPage>("/outbox/parked"))!;

    static async Task<ParkedOutboxMessageView> ParkedOf(OrdersClient api, Guid key, string reason) =>
        (await Eventually.Get(() => Parked(api), p => p.Items.Any(m => m.OrderingKey == key.ToString() && m.LastError!.Contains(reason)),
            $"the row of {key} parked for '{reason}'")).Items.Single(m => m.OrderingKey == key.ToString());

    static Task<HttpResponseMessage> Retry(OrdersClient api, long id) => api.Http.PostAsync($"/outbox/parked/{id}/retry", null);
}
