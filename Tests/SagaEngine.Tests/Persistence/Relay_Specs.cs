using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SagaEngine.Contracts;
using SagaEngine.Host.Persistence;
using SagaEngine.Host.Persistence.Inbox;
using SagaEngine.Host.Persistence.Outbox;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Persistence;

/// <summary>The relay: nothing leaves before its commit; after it, each message once, in order per key.</summary>
public class Relay_Specs
{
    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Nothing_published_outside_a_consumer_leaves_before_the_publisher_saves(DatabaseProvider provider)
    {
        await using var host = new SagaEngineFactory(provider).OnInMemoryBus();
        var (unsaved, saved) = (Guid.NewGuid(), Guid.NewGuid());

        await using (var request = host.Services.CreateAsyncScope())
            // A request that fails before its SaveChangesAsync.
            await request.ServiceProvider.GetRequiredService<IPublishEndpoint>().Publish(Submitted(unsaved));
        await using (var request = host.Services.CreateAsyncScope())
        {
            await request.ServiceProvider.GetRequiredService<IPublishEndpoint>().Publish(Submitted(saved));
            Assert.Empty(await host.Outbox(nameof(OrderSubmitted), saved.ToString()));
            await request.ServiceProvider.GetRequiredService<DbContext>().SaveChangesAsync();
        }

        await host.WaitForState(saved, "Confirmed");
        Assert.Null(await host.Saga(unsaved));
        Assert.Empty(await host.Outbox(nameof(OrderSubmitted), unsaved.ToString()));
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Two_relays_on_one_database_deliver_each_message_once_and_in_order_per_key(DatabaseProvider provider)
    {
        var record = new DeliveryRecord();
        await using var database = new TestDatabase(provider);
        await using var one = new SagaEngineFactory(database).OnInMemoryBus().WithServices(record.Install);
        await using var two = new SagaEngineFactory(database).OnInMemoryBus().WithServices(record.Install);
        var keys = Enumerable.Range(0, 4).Select(_ => Guid.NewGuid()).ToList();
        // Start both before the parallel part: a factory's first start is not thread-safe.
        _ = (one.Services, two.Services);

        // Each key is written by ten transactions, one after the other, taking turns on the two hosts,
        // two messages each; the keys are written side by side while both relays deliver.
        await Task.WhenAll(keys.Select(async key =>
        {
            for (var step = 0; step < 10; step++)
                await Publish(step % 2 == 0 ? one : two, key, step);
        }));
        var delivered = await Eventually.Get(
            () => Task.FromResult(record.Deliveries.Where(d => keys.Contains(Guid.Parse(d.OrderingKey))).ToList()),
            d => d.Count >= 80, "80 messages delivered");

        Assert.Equal(80, delivered.Count);
        Assert.Equal(80, delivered.Select(d => d.MessageId).Distinct().Count());
        foreach (var key in keys)
        {
            var steps = delivered.Where(d => d.OrderingKey == key.ToString())
                .Select(d => JsonSerializer.Deserialize<StockAdjusted>(d.Body, OutboxJson.Options)!.By);
            Assert.Equal(Enumerable.Range(0, 20), steps);
        }
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task The_outbox_status_shows_what_waits_and_how_fast_it_is_delivered(DatabaseProvider provider)
    {
        await using var database = new TestDatabase(provider);
        await using var idle = new SagaEngineFactory(database).OnInMemoryBus().With("Outbox:RelayEnabled", "false");
        var api = new OrdersClient(idle.CreateClient());
        var orders = new[] { await api.Submit(), await api.Submit(), await api.Submit() };

        var waiting = await api.Outbox();
        Assert.Equal((3, 0L), (waiting.Pending, waiting.Delivered));
        Assert.True(waiting.OldestPendingAgeSeconds > 0);

        await using var working = new SagaEngineFactory(database).OnInMemoryBus();
        var relay = new OrdersClient(working.CreateClient());
        foreach (var id in orders)
            await relay.WaitUntilEnded(id);

        var done = await Eventually.Get(api.Outbox, s => s.Pending == 0, "nothing pending");
        Assert.Null(done.OldestPendingAgeSeconds);
        var worker = await relay.Outbox();
        // Each confirmed order: OrderSubmitted, ReserveInventory, InventoryReserved, ChargePayment, PaymentCharged, OrderConfirmed.
        Assert.True(worker.Delivered >= 18, $"Delivered {worker.Delivered}.");
        Assert.True(worker.DeliveredPerSecond > 0);
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Delivered_messages_and_old_inbox_entries_are_removed_after_their_retention(DatabaseProvider provider)
    {
        await using var host = new SagaEngineFactory(provider).OnInMemoryBus()
            .With("Outbox:DeliveredRetention", "00:00:00").With("Outbox:InboxRetention", "00:00:00")
            .With("Outbox:CleanupInterval", "00:00:01");
        var api = new OrdersClient(host.CreateClient());

        var id = await api.Submit();
        await api.WaitUntilEnded(id);

        await Eventually.True(() => host.Query(async db =>
                !await db.Set<OutboxMessage>().AnyAsync(m => m.OrderingKey == id.ToString())
                && !await db.Set<InboxMessage>().AnyAsync()),
            "the order's delivered messages and every inbox entry removed");
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task A_relay_is_woken_when_its_own_process_commits(DatabaseProvider provider)
    {
        // Polling once in ten minutes: only the wake-up on commit can take the order through in time.
        await using var host = new SagaEngineFactory(provider).OnInMemoryBus().With("Outbox:PollInterval", "00:10:00");
        var api = new OrdersClient(host.CreateClient());

        Assert.Equal("Confirmed", (await api.WaitUntilEnded(await api.Submit(), seconds: 15))!.State);
    }

    [Fact]
    public async Task A_relay_is_woken_by_LISTEN_NOTIFY_when_another_process_commits()
    {
        await using var database = new TestDatabase(DatabaseProvider.Postgres);
        await using var relay = new SagaEngineFactory(database).OnInMemoryBus().With("Outbox:PollInterval", "00:10:00");
        await using var writer = new SagaEngineFactory(database).OnInMemoryBus().With("Outbox:RelayEnabled", "false");
        var relayApi = new OrdersClient(relay.CreateClient());
        // Let the relay finish its first round and settle into its ten-minute wait.
        await Eventually.True(async () => (await relayApi.Outbox()).Pending == 0, "the relay idle");

        var id = await new OrdersClient(writer.CreateClient()).Submit();

        Assert.Equal("Confirmed", (await relayApi.WaitUntilEnded(id, seconds: 15))!.State);
    }

    [Fact]
    public async Task A_host_whose_relay_runs_commits_without_NOTIFY_which_would_serialise_its_commits()
    {
        await using var database = new TestDatabase(DatabaseProvider.Postgres);
        await using var host = new SagaEngineFactory(database).OnInMemoryBus();
        var api = new OrdersClient(host.CreateClient());
        await Eventually.True(async () => (await api.Outbox()).Pending == 0, "the relay idle");
        await using var listener = new Npgsql.NpgsqlConnection(database.PostgresConnectionString + ";Pooling=false");
        await listener.OpenAsync();
        var notifications = 0;
        listener.Notification += (_, _) => Interlocked.Increment(ref notifications);
        await using (var listen = new Npgsql.NpgsqlCommand("LISTEN outbox_messages", listener))
            await listen.ExecuteNonQueryAsync();

        Assert.Equal("Confirmed", (await api.WaitUntilEnded(await api.Submit(), seconds: 15))!.State);
        await using (var probe = new Npgsql.NpgsqlCommand("SELECT 1", listener))
            await probe.ExecuteScalarAsync(); // delivers any notification already queued for this session

        Assert.Equal(0, notifications);
    }

    static OrderSubmitted Submitted(Guid id) =>
        new(id, "cust-1", "EUR", [new OrderLine("SKU-1", 1, 10m)], 10m, "tok_ok", DateTime.UtcNow);

    static async Task Publish(SagaEngineFactory host, Guid key, int step)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var publish = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
        await publish.Publish(new StockAdjusted("ORDERED", 2 * step), c => c.CorrelationId = key);
        await publish.Publish(new StockAdjusted("ORDERED", 2 * step + 1), c => c.CorrelationId = key);
        await scope.ServiceProvider.GetRequiredService<DbContext>().SaveChangesAsync();
    }
}

/// <summary>Messages scheduled for later (timeouts): held until due, then delivered, never holding back their key.</summary>
public class Scheduled_outbox_message_Specs
{
    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task A_message_due_later_is_delivered_when_due_and_does_not_hold_back_its_keys_later_messages(DatabaseProvider provider)
    {
        var record = new DeliveryRecord();
        await using var host = new SagaEngineFactory(provider).OnInMemoryBus().WithServices(record.Install)
            .With("Outbox:PollInterval", "00:00:00.1");
        var key = Guid.NewGuid();

        await Publish(host, new StockAdjusted("LATER", 1), key, TimeSpan.FromSeconds(2));
        await Publish(host, new StockAdjusted("NOW", 2), key, null);

        var first = await Eventually.Get(() => Delivered(record, key), d => d.Count > 0, "the later-written, due message delivered");
        Assert.Equal(["NOW"], first);

        var all = await Eventually.Get(() => Delivered(record, key), d => d.Count == 2, "the scheduled message delivered once due");
        Assert.Equal(["NOW", "LATER"], all);
        // The transport has the message before the relay marks its row delivered.
        var scheduled = await Eventually.Get(() => host.Query(db => db.Set<OutboxMessage>().AsNoTracking()
            .SingleAsync(m => m.OrderingKey == key.ToString() && m.DueAt != null)), m => m.DeliveredAt is not null, "the scheduled row marked delivered");
        Assert.True(scheduled.DeliveredAt >= scheduled.DueAt, $"Delivered at {scheduled.DeliveredAt:O}, due at {scheduled.DueAt:O}.");
        Assert.True(scheduled.DueAt >= scheduled.CreatedAt.AddSeconds(2));
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task A_relay_that_polls_rarely_wakes_when_a_scheduled_message_falls_due(DatabaseProvider provider)
    {
        // Nothing commits when the message falls due: only the relay's own wake-up can deliver it in time.
        var record = new DeliveryRecord();
        await using var host = new SagaEngineFactory(provider).OnInMemoryBus().WithServices(record.Install)
            .With("Outbox:PollInterval", "00:10:00");
        var key = Guid.NewGuid();

        await Publish(host, new StockAdjusted("LATER", 1), key, TimeSpan.FromSeconds(1));

        Assert.Equal(["LATER"], await Eventually.Get(() => Delivered(record, key), d => d.Count == 1, "the scheduled message delivered", 10));
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task A_message_due_later_is_not_counted_as_pending_until_it_is_due(DatabaseProvider provider)
    {
        await using var host = new SagaEngineFactory(provider).OnInMemoryBus().With("Outbox:RelayEnabled", "false");
        var api = new OrdersClient(host.CreateClient());

        await Publish(host, new StockAdjusted("LATER", 1), Guid.NewGuid(), TimeSpan.FromMinutes(5));

        var status = await api.Outbox();
        Assert.Equal((0, 1), (status.Pending, status.Scheduled));
    }

    static Task<List<string>> Delivered(DeliveryRecord record, Guid key) =>
        Task.FromResult(record.Deliveries.Where(d => d.OrderingKey == key.ToString())
            .Select(d => JsonSerializer.Deserialize<StockAdjusted>(d.Body, OutboxJson.Options)!.Sku).ToList());

    static async Task Publish(SagaEngineFactory host, StockAdjusted message, Guid key, TimeSpan? delay)
    {
        await using var scope = host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IPublishEndpoint>().Publish(message, c =>
        {
            c.CorrelationId = key;
            c.Delay = delay;
        });
        await scope.ServiceProvider.GetRequiredService<DbContext>().SaveChangesAsync();
    }
}
