using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using SagaEngine.Contracts;
using SagaEngine.Host.Persistence;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Persistence;

/// <summary>
/// The same message delivered again (same message id) is acknowledged by the inbox without running
/// the handler: its state changes once and it sends once.
/// </summary>
public class Duplicates_Specs
{
    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task A_redelivered_command_changes_state_once_and_sends_once(DatabaseProvider provider)
    {
        var probe = new StockAdjustmentProbe();
        await using var host = new SagaEngineFactory(provider).OnInMemoryBus().WithServices(s => StockAdjustmentEndpoint.Register(s, probe));
        var endpoint = await StockAdjustmentEndpoint.Connect(host);
        var sku = await StockAdjustmentEndpoint.AddSku(host, 100);
        var messageId = NewId.NextGuid();

        await endpoint.Send(new AdjustStock(sku, 5), messageId);
        await endpoint.Log.WaitUntilFinished(messageId);
        await endpoint.Send(new AdjustStock(sku, 5), messageId);
        await endpoint.Log.WaitUntilFinished(messageId, times: 2);

        Assert.Equal(1, probe.Runs);
        Assert.Equal(105, await host.Available(sku));
        Assert.Single(await host.Outbox(nameof(StockAdjusted), sku));
        Assert.Single(await host.Inbox(messageId));
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task The_same_command_delivered_twice_at_once_is_handled_once(DatabaseProvider provider)
    {
        var probe = new StockAdjustmentProbe();
        await using var host = new SagaEngineFactory(provider).OnInMemoryBus().WithServices(s => StockAdjustmentEndpoint.Register(s, probe));
        var endpoint = await StockAdjustmentEndpoint.Connect(host);
        var sku = await StockAdjustmentEndpoint.AddSku(host, 100);
        var messageIds = Enumerable.Range(0, 5).Select(_ => NewId.NextGuid()).ToList();

        // Each message twice, all at once: the second copy collides with the first on the inbox key.
        await Task.WhenAll(messageIds.SelectMany(id => new[] { endpoint.Send(new AdjustStock(sku, 1), id), endpoint.Send(new AdjustStock(sku, 1), id) }));
        foreach (var id in messageIds)
            await endpoint.Log.WaitUntilFinished(id, times: 2);

        Assert.Equal(105, await host.Available(sku));
        Assert.Equal(5, (await host.Outbox(nameof(StockAdjusted), sku)).Count);
        Assert.All(messageIds, id => Assert.Single(host.Inbox(id).Result));
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task A_redelivered_saga_event_moves_the_saga_once_and_sends_once(DatabaseProvider provider)
    {
        await using var host = new SagaEngineFactory(provider).OnInMemoryBus();
        var log = new ReceiveLog();
        var bus = host.Services.GetRequiredService<IBus>();
        bus.ConnectReceiveObserver(log);
        var orderId = await host.SeedAwaitingInventory();
        var messageId = NewId.NextGuid();

        await bus.Publish(new InventoryReserved(orderId), c => c.MessageId = messageId);
        await log.WaitUntilFinished(messageId);
        await bus.Publish(new InventoryReserved(orderId), c => c.MessageId = messageId);
        await log.WaitUntilFinished(messageId, times: 2);
        var order = await host.WaitForState(orderId, "Confirmed");

        Assert.Single(order!.History, h => h.Event == nameof(InventoryReserved));
        Assert.Single(await host.Outbox(nameof(ChargePayment), orderId.ToString()));
        Assert.Single(await host.Inbox(messageId));
    }
}
