using SagaEngine.Tests.Support;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using SagaEngine.Contracts;
using SagaEngine.Sagas;

namespace SagaEngine.Tests.Sagas;

/// <summary>The order saga alone on MassTransit's in-memory test harness; the services are not there.</summary>
public sealed class OrderSagaHarness : IAsyncDisposable
{
    readonly ServiceProvider _provider;

    OrderSagaHarness(ServiceProvider provider)
    {
        _provider = provider;
        Harness = provider.GetRequiredService<ITestHarness>();
        Saga = Harness.GetSagaStateMachineHarness<OrderStateMachine, OrderState>();
        Machine = provider.GetRequiredService<OrderStateMachine>();
    }

    public ITestHarness Harness { get; }
    public ISagaStateMachineTestHarness<OrderStateMachine, OrderState> Saga { get; }
    public OrderStateMachine Machine { get; }

    /// <param name="inventoryTimeout">Default: long enough never to fire in a spec that is not about it.</param>
    /// <param name="paymentTimeout">Likewise.</param>
    /// <param name="compensationTimeout">Likewise.</param>
    /// <param name="compensationRetries">Default: the setting's default, 3.</param>
    public static async Task<OrderSagaHarness> Start(TimeSpan? inventoryTimeout = null, TimeSpan? paymentTimeout = null,
        TimeSpan? compensationTimeout = null, int? compensationRetries = null)
    {
        var provider = new ServiceCollection()
            .AddSingleton(TimeProvider.System)
            .AddMetrics()
            .AddMassTransitTestHarness(x =>
            {
                x.AddOrderSaga().InMemoryRepository();
                x.Configure<OrderSagaOptions>(o =>
                {
                    o.InventoryTimeout = inventoryTimeout ?? TimeSpan.FromMinutes(5);
                    o.PaymentTimeout = paymentTimeout ?? TimeSpan.FromMinutes(5);
                    o.CompensationTimeout = compensationTimeout ?? TimeSpan.FromMinutes(5);
                    o.CompensationRetries = compensationRetries ?? o.CompensationRetries;
                });
            })
            .BuildServiceProvider(true);
        var harness = new OrderSagaHarness(provider);
        await harness.Harness.Start();
        return harness;
    }

    public static OrderSubmitted Submitted(Guid orderId, string token = "tok_ok") =>
        new(orderId, "cust-1", "EUR", [new OrderLine("SKU-1", 2, 12.50m)], 25.00m, token, DateTime.UtcNow);

    public Task Publish<T>(T message) where T : class => Harness.Bus.Publish(message);

    /// <summary>A new order, submitted and waiting for inventory.</summary>
    public async Task<Guid> OrderAwaitingInventory(string token = "tok_ok")
    {
        var id = Guid.NewGuid();
        await Publish(Submitted(id, token));
        await InState(id, Machine.AwaitingInventory);
        return id;
    }

    /// <summary>A new order whose inventory is reserved, waiting for payment.</summary>
    public async Task<Guid> OrderAwaitingPayment()
    {
        var id = await OrderAwaitingInventory();
        await Publish(new InventoryReserved(id));
        await InState(id, Machine.AwaitingPayment);
        return id;
    }

    /// <summary>A new order whose payment was declined, releasing its inventory and waiting for that to be confirmed.</summary>
    public async Task<Guid> OrderCompensating()
    {
        var id = await OrderAwaitingPayment();
        await Publish(new PaymentFailed(id, FailureReasons.PaymentDeclined));
        await InState(id, Machine.Compensating);
        return id;
    }

    /// <summary>A new order that went all the way to Confirmed.</summary>
    public async Task<Guid> ConfirmedOrder()
    {
        var id = await OrderAwaitingPayment();
        await Publish(new PaymentCharged(id, 25m, "EUR"));
        await InState(id, Machine.Confirmed);
        return id;
    }

    /// <summary>
    /// Waits until the saga has consumed <paramref name="count"/> messages of type T and everything they
    /// caused has settled. Each test drives one order, so counting all of them is counting the order's.
    /// </summary>
    public async Task Consumed<T>(int count = 1) where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Saga.Consumed.Select<T>().Count() < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"The saga did not consume {count} {typeof(T).Name} in time.");
            await Task.Delay(20);
        }
        await Harness.Settle();
    }

    /// <summary>Waits for the order to reach the state and returns the instance.</summary>
    public async Task<OrderState> InState(Guid orderId, State state)
    {
        Assert.True((await Saga.Exists(orderId, _ => state, TimeSpan.FromSeconds(10))).HasValue,
            $"Order did not reach {state.Name}; it is in {Saga.Sagas.Contains(orderId)?.CurrentState ?? "no state"}.");
        return Saga.Sagas.Contains(orderId)!;
    }

    public int SentCount<T>() where T : class => Harness.Sent.Select<T>().Count();

    public int PublishedCount<T>() where T : class => Harness.Published.Select<T>().Count();

    /// <summary>
    /// The one <typeparamref name="T"/> published, waiting for it: the saga's state is saved before the
    /// outbox hands on what the transition published, so a state seen reached may not have published yet.
    /// (Not the harness's own <c>Published.Any</c>: once the harness has been idle, as it is while a
    /// timeout is pending, that answers at once.)
    /// </summary>
    public async Task<T> Published<T>() where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!Harness.Published.Select<T>().Any())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Nothing published a {typeof(T).Name} in time.");
            await Task.Delay(20);
        }
        return Harness.Published.Select<T>().Single().Context.Message;
    }

    public bool AnyFault => Harness.Published.Select<Fault>().Any();

    public async ValueTask DisposeAsync()
    {
        await Harness.Stop();
        await _provider.DisposeAsync();
    }
}
