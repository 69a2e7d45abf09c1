using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using SagaEngine.Contracts;
using SagaEngine.Host.Persistence;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Persistence;

/// <summary>
/// A handler that throws after it sent leaves nothing behind: no outbox row, no state change, no inbox
/// row. Its retry then runs in a new scope on a fresh read, and succeeds exactly once.
/// </summary>
public class Atomicity_Specs
{
    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task A_consumer_that_throws_after_saving_and_publishing_leaves_no_trace_and_its_retry_applies_once(DatabaseProvider provider)
    {
        var probe = new StockAdjustmentProbe { FailFirstRunAfterPublishing = true };
        await using var host = new SagaEngineFactory(provider).OnInMemoryBus().WithServices(s => StockAdjustmentEndpoint.Register(s, probe));
        var endpoint = await StockAdjustmentEndpoint.Connect(host);
        var sku = await StockAdjustmentEndpoint.AddSku(host, 100);
        var messageId = NewId.NextGuid();

        await endpoint.Send(new AdjustStock(sku, 7), messageId);
        await probe.RetryHeld;

        Assert.Equal(100, await host.Available(sku));
        Assert.Empty(await host.Outbox(nameof(StockAdjusted), sku));
        Assert.Empty(await host.Inbox(messageId));

        probe.ReleaseRetry();
        await endpoint.Log.WaitUntilFinished(messageId);

        Assert.Equal(107, await host.Available(sku));
        Assert.Single(await host.Outbox(nameof(StockAdjusted), sku));
        Assert.Single(await host.Inbox(messageId));
        Assert.Equal(2, probe.Runs);
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task A_saga_transition_that_throws_after_sending_leaves_no_trace_and_its_retry_applies_once(DatabaseProvider provider)
    {
        var orderId = Guid.NewGuid();
        var probe = new FailTransitionOnce(orderId, nameof(InventoryReserved));
        await using var host = new SagaEngineFactory(provider).OnInMemoryBus()
            .WithServices(s => s.AddSingleton<IEventObserver<SagaEngine.Sagas.OrderState>>(probe));
        await host.SeedAwaitingInventory(orderId);
        var messageId = NewId.NextGuid();

        await host.Services.GetRequiredService<IBus>().Publish(new InventoryReserved(orderId), c => c.MessageId = messageId);
        await probe.RetryHeld;

        var untouched = await host.Saga(orderId);
        Assert.Equal(("AwaitingInventory", 0), (untouched!.CurrentState, untouched.Version));
        Assert.Empty(untouched.History);
        Assert.Empty(await host.Outbox(nameof(ChargePayment), orderId.ToString()));
        Assert.Empty(await host.Inbox(messageId));

        probe.ReleaseRetry();
        var order = await host.WaitForState(orderId, "Confirmed");

        Assert.Single(order!.History, h => h.Event == nameof(InventoryReserved));
        Assert.Single(await host.Outbox(nameof(ChargePayment), orderId.ToString()));
        Assert.Single(await host.Inbox(messageId));
        Assert.Equal(2, probe.Runs);
    }
}
