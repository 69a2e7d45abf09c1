using SagaEngine.Tests.Support;
using SagaEngine.Contracts;
using static SagaEngine.Tests.Sagas.OrderSagaHarness;

namespace SagaEngine.Tests.Sagas;

public class A_duplicate_submission
{
    [Fact]
    public async Task Should_reserve_inventory_once()
    {
        await using var h = await Start();
        var id = await h.OrderAwaitingInventory();

        await h.Publish(Submitted(id));
        await h.Consumed<OrderSubmitted>(2);

        Assert.Equal(h.Machine.AwaitingInventory.Name, h.Saga.Sagas.Contains(id)!.CurrentState);
        Assert.Equal(1, h.SentCount<ReserveInventory>());
        Assert.Single(h.Saga.Sagas.Contains(id)!.History);
        Assert.False(h.AnyFault);
    }
}

public class A_duplicate_reply
{
    [Fact]
    public async Task Should_charge_once_when_inventory_reserved_arrives_twice()
    {
        await using var h = await Start();
        var id = await h.OrderAwaitingPayment();

        await h.Publish(new InventoryReserved(id));
        await h.Consumed<InventoryReserved>(2);

        Assert.Equal(h.Machine.AwaitingPayment.Name, h.Saga.Sagas.Contains(id)!.CurrentState);
        Assert.Equal(1, h.SentCount<ChargePayment>());
        Assert.False(h.AnyFault);
    }

    [Fact]
    public async Task Should_confirm_once_when_payment_charged_arrives_twice()
    {
        await using var h = await Start();
        var id = await h.ConfirmedOrder();

        await h.Publish(new PaymentCharged(id, 25m, "EUR"));
        await h.Consumed<PaymentCharged>(2);

        Assert.Equal(1, h.PublishedCount<OrderConfirmed>());
        Assert.Equal(3, h.Saga.Sagas.Contains(id)!.History.Count);
        Assert.False(h.AnyFault);
    }
}

public class An_event_out_of_order
{
    [Fact]
    public async Task Should_be_ignored_and_leave_the_flow_able_to_continue()
    {
        await using var h = await Start();
        var id = await h.OrderAwaitingInventory();

        // A payment answer before inventory was even reserved: not expected here.
        await h.Publish(new PaymentCharged(id, 25m, "EUR"));
        await h.Consumed<PaymentCharged>();
        Assert.Equal(h.Machine.AwaitingInventory.Name, h.Saga.Sagas.Contains(id)!.CurrentState);
        Assert.Equal(0, h.PublishedCount<OrderConfirmed>());
        Assert.False(h.AnyFault);

        await h.Publish(new InventoryReserved(id));
        await h.InState(id, h.Machine.AwaitingPayment);
        await h.Publish(new PaymentCharged(id, 25m, "EUR"));
        await h.InState(id, h.Machine.Confirmed);
    }

    [Fact]
    public async Task Should_not_release_inventory_for_a_release_confirmation_nobody_asked_for()
    {
        await using var h = await Start();
        var id = await h.OrderAwaitingInventory();

        await h.Publish(new InventoryReleased(id));
        await h.Consumed<InventoryReleased>();

        Assert.Equal(h.Machine.AwaitingInventory.Name, h.Saga.Sagas.Contains(id)!.CurrentState);
        Assert.Equal(0, h.PublishedCount<OrderCancelled>());
    }
}

public class Events_in_terminal_states
{
    [Fact]
    public async Task Should_never_move_a_confirmed_order()
    {
        await using var h = await Start();
        var id = await h.ConfirmedOrder();

        await h.Publish(new PaymentFailed(id, FailureReasons.PaymentDeclined));
        await h.Publish(new InventoryReservationFailed(id, FailureReasons.OutOfStock));
        await h.Publish(new InventoryReleased(id));
        await h.Publish(Submitted(id));
        await h.Consumed<InventoryReleased>();
        await h.Consumed<OrderSubmitted>(2);

        var order = h.Saga.Sagas.Contains(id)!;
        Assert.Equal(h.Machine.Confirmed.Name, order.CurrentState);
        Assert.Null(order.FailureReason);
        Assert.Equal(0, h.SentCount<ReleaseInventory>());
        Assert.Equal(1, h.SentCount<ReserveInventory>());
        Assert.Equal(0, h.PublishedCount<OrderCancelled>());
        Assert.False(h.AnyFault);
    }

    [Fact]
    public async Task Should_never_move_a_cancelled_order()
    {
        await using var h = await Start();
        var id = await h.OrderAwaitingInventory();
        await h.Publish(new InventoryReservationFailed(id, FailureReasons.OutOfStock));
        await h.InState(id, h.Machine.Cancelled);

        // A late success must not charge a cancelled order.
        await h.Publish(new InventoryReserved(id));
        await h.Publish(new PaymentCharged(id, 25m, "EUR"));
        await h.Consumed<InventoryReserved>();
        await h.Consumed<PaymentCharged>();

        var order = h.Saga.Sagas.Contains(id)!;
        Assert.Equal(h.Machine.Cancelled.Name, order.CurrentState);
        Assert.Equal(FailureReasons.OutOfStock, order.FailureReason);
        Assert.Equal(0, h.SentCount<ChargePayment>());
        Assert.Equal(0, h.PublishedCount<OrderConfirmed>());
        Assert.Equal(2, order.History.Count);
        Assert.False(h.AnyFault);
    }
}

public class A_reply_for_an_unknown_order
{
    [Fact]
    public async Task Should_be_dropped_without_creating_an_order_or_a_fault()
    {
        await using var h = await Start();
        var id = Guid.NewGuid();

        await h.Publish(new InventoryReserved(id));
        Assert.True(await h.Harness.Consumed.Any<InventoryReserved>());
        await h.Harness.Settle();

        Assert.Null(h.Saga.Sagas.Contains(id));
        Assert.Equal(0, h.SentCount<ChargePayment>());
        Assert.False(h.AnyFault);
    }
}
