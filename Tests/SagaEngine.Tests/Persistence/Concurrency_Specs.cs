using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using SagaEngine.Contracts;
using SagaEngine.Host.Persistence;
using SagaEngine.Sagas;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Persistence;

/// <summary>
/// Two events for one saga processed at once: both read the same version, the second to save fails
/// on the version column, and its retry reads the saga again. The saga ends in the right state,
/// with exactly one transition, and sends once.
/// </summary>
public class Concurrency_Specs
{
    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Two_copies_of_a_reply_at_once_move_the_saga_once(DatabaseProvider provider)
    {
        var orderId = Guid.NewGuid();
        var rendezvous = new Rendezvous(orderId, nameof(InventoryReserved), TimeSpan.FromSeconds(2));
        await using var host = new SagaEngineFactory(provider).OnInMemoryBus().WithServices(s => s.AddSingleton<IEventObserver<OrderState>>(rendezvous));
        var log = new ReceiveLog();
        var bus = host.Services.GetRequiredService<IBus>();
        bus.ConnectReceiveObserver(log);
        await host.SeedAwaitingInventory(orderId);
        var (first, second) = (NewId.NextGuid(), NewId.NextGuid());

        // Two deliveries of the reply (say, the inventory answered twice): different message ids, so
        // the inbox does not stop the second; only the saga's version can.
        await Task.WhenAll(
            bus.Publish(new InventoryReserved(orderId), c => c.MessageId = first),
            bus.Publish(new InventoryReserved(orderId), c => c.MessageId = second));
        await log.WaitUntilFinished(first);
        await log.WaitUntilFinished(second);
        var order = await host.WaitForState(orderId, "Confirmed");

        Assert.Equal(["InventoryReserved", "PaymentCharged"], order!.History.Select(h => h.Event));
        Assert.Single(await host.Outbox(nameof(ChargePayment), orderId.ToString()));
        Assert.Single(await host.Inbox(first));
        Assert.Single(await host.Inbox(second));
        // On PostgreSQL both runs really were inside the saga at once, so the version check did the work.
        // SQLite's single writer queued the second behind the first: no conflict could arise.
        Assert.Equal(provider == DatabaseProvider.Postgres, rendezvous.Met);
    }
}
