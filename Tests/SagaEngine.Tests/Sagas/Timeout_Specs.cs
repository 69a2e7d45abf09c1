using SagaEngine.Tests.Support;
using MassTransit;
using SagaEngine.Contracts;
using static SagaEngine.Tests.Sagas.OrderSagaHarness;

namespace SagaEngine.Tests.Sagas;

public class An_inventory_service_that_never_answers
{
    [Fact]
    public async Task Should_release_what_it_may_hold_and_cancel_the_order_with_inventory_timeout_once_the_release_is_confirmed()
    {
        await using var h = await Start(inventoryTimeout: TimeSpan.FromSeconds(1));
        var id = await h.OrderAwaitingInventory();

        await h.InState(id, h.Machine.Compensating);
        await h.Harness.Settle();
        Assert.Equal(1, h.SentCount<ReleaseInventory>());
        Assert.Equal(0, h.PublishedCount<OrderCancelled>());

        await h.Publish(new InventoryReleased(id));
        var order = await h.InState(id, h.Machine.Cancelled);
        await h.Harness.Settle();

        Assert.Equal(FailureReasons.InventoryTimeout, order.FailureReason);
        Assert.Equal(FailureReasons.InventoryTimeout, (await h.Published<OrderCancelled>()).Reason);
        Assert.Equal(0, h.SentCount<ChargePayment>());
        Assert.Equal(["Initial", "AwaitingInventory", "Compensating"], order.History.Select(t => t.From));
        Assert.False(h.AnyFault);
    }

    [Fact]
    public async Task Should_not_charge_when_the_reservation_arrives_after_the_timeout()
    {
        await using var h = await Start(inventoryTimeout: TimeSpan.FromSeconds(1));
        var id = await h.OrderAwaitingInventory();
        await h.InState(id, h.Machine.Compensating);
        await h.Publish(new InventoryReleased(id));
        await h.InState(id, h.Machine.Cancelled);

        await h.Publish(new InventoryReserved(id));
        await h.Consumed<InventoryReserved>();

        var order = h.Saga.Sagas.Contains(id)!;
        Assert.Equal((h.Machine.Cancelled.Name, FailureReasons.InventoryTimeout), (order.CurrentState, order.FailureReason));
        Assert.Equal(0, h.SentCount<ChargePayment>());
        Assert.Equal(3, order.History.Count);
    }
}

public class A_payment_service_that_never_answers
{
    [Fact]
    public async Task Should_release_inventory_then_cancel_the_order_with_payment_timeout()
    {
        await using var h = await Start(paymentTimeout: TimeSpan.FromSeconds(1));
        var id = await h.OrderAwaitingPayment();

        await h.InState(id, h.Machine.Compensating);
        await h.Harness.Settle();
        Assert.Equal(1, h.SentCount<ReleaseInventory>());
        Assert.Equal(0, h.PublishedCount<OrderCancelled>());

        await h.Publish(new InventoryReleased(id));
        var order = await h.InState(id, h.Machine.Cancelled);
        await h.Harness.Settle();

        Assert.Equal(FailureReasons.PaymentTimeout, order.FailureReason);
        Assert.Equal(FailureReasons.PaymentTimeout, (await h.Published<OrderCancelled>()).Reason);
        Assert.False(h.AnyFault);
    }
}

public class Replies_in_time
{
    [Fact]
    public async Task Should_cancel_both_timeouts_so_that_when_they_arrive_they_change_nothing()
    {
        await using var h = await Start(inventoryTimeout: TimeSpan.FromSeconds(1), paymentTimeout: TimeSpan.FromSeconds(1));
        var id = await h.ConfirmedOrder();

        var order = h.Saga.Sagas.Contains(id)!;
        Assert.Null(order.InventoryTimeoutToken);
        Assert.Null(order.PaymentTimeoutToken);

        // The harness's scheduler cannot take a delayed message back: both arrive, and must be no-ops.
        await h.Consumed<InventoryTimedOut>();
        await h.Consumed<PaymentTimedOut>();

        Assert.Equal(h.Machine.Confirmed.Name, order.CurrentState);
        Assert.Null(order.FailureReason);
        Assert.Equal(0, h.SentCount<ReleaseInventory>());
        Assert.Equal(0, h.PublishedCount<OrderCancelled>());
        Assert.Equal(3, order.History.Count);
        Assert.False(h.AnyFault);
    }
}

public class A_stale_timeout
{
    [Fact]
    public async Task Should_be_ignored_when_its_token_is_not_the_one_the_order_waits_for()
    {
        await using var h = await Start();
        var id = await h.OrderAwaitingPayment();
        var current = h.Saga.Sagas.Contains(id)!.PaymentTimeoutToken;
        Assert.NotNull(current);

        await h.Harness.Bus.Publish(new PaymentTimedOut(id),
            c => c.Headers.Set(MessageHeaders.SchedulingTokenId, Guid.NewGuid().ToString("D")));
        await h.Consumed<PaymentTimedOut>();

        var order = h.Saga.Sagas.Contains(id)!;
        Assert.Equal(h.Machine.AwaitingPayment.Name, order.CurrentState);
        Assert.Equal(current, order.PaymentTimeoutToken);
        Assert.Equal(0, h.SentCount<ReleaseInventory>());
    }

    [Fact]
    public async Task Should_be_ignored_after_the_reply_it_waited_for()
    {
        await using var h = await Start();
        var id = await h.ConfirmedOrder();

        await h.Publish(new PaymentTimedOut(id));
        await h.Consumed<PaymentTimedOut>();

        Assert.Equal(h.Machine.Confirmed.Name, h.Saga.Sagas.Contains(id)!.CurrentState);
        Assert.Equal(0, h.SentCount<ReleaseInventory>());
        Assert.False(h.AnyFault);
    }
}

public class A_charge_after_the_payment_timeout
{
    static async Task<(OrderSagaHarness, Guid)> CancelledByPaymentTimeout()
    {
        var h = await Start(paymentTimeout: TimeSpan.FromSeconds(1));
        var id = await h.OrderAwaitingPayment();
        await h.InState(id, h.Machine.Compensating);
        await h.Publish(new InventoryReleased(id));
        await h.InState(id, h.Machine.Cancelled);
        return (h, id);
    }

    [Fact]
    public async Task Should_be_refunded_and_shown_in_the_history_while_the_order_stays_cancelled()
    {
        var (h, id) = await CancelledByPaymentTimeout();
        await using var _ = h;

        await h.Publish(new PaymentCharged(id, 25m, "EUR"));
        await h.Consumed<PaymentCharged>();

        var order = h.Saga.Sagas.Contains(id)!;
        Assert.Equal(h.Machine.Cancelled.Name, order.CurrentState);
        Assert.Equal(FailureReasons.PaymentTimeout, order.FailureReason);
        var refund = Assert.Single(h.Harness.Sent.Select<RefundPayment>()).Context.Message;
        Assert.Equal((id, 25m, "EUR"), (refund.OrderId, refund.Amount, refund.Currency));
        var last = order.History[^1];
        Assert.Equal(("PaymentCharged", "Cancelled", "Cancelled"), (last.Event, last.From, last.To));
        Assert.Equal(0, h.PublishedCount<OrderConfirmed>());
        Assert.False(h.AnyFault);
    }

    [Fact]
    public async Task Should_be_refunded_once_when_it_arrives_twice()
    {
        var (h, id) = await CancelledByPaymentTimeout();
        await using var _ = h;

        await h.Publish(new PaymentCharged(id, 25m, "EUR"));
        await h.Publish(new PaymentCharged(id, 25m, "EUR"));
        await h.Consumed<PaymentCharged>(2);

        var order = h.Saga.Sagas.Contains(id)!;
        Assert.Equal(1, h.SentCount<RefundPayment>());
        Assert.Single(order.History, t => t.Event == "PaymentCharged");
        Assert.Equal(h.Machine.Cancelled.Name, order.CurrentState);
    }

    [Fact]
    public async Task Should_be_refunded_when_it_arrives_while_the_inventory_is_still_being_released_and_cancel_once_both_are_confirmed()
    {
        await using var h = await Start(paymentTimeout: TimeSpan.FromSeconds(1));
        var id = await h.OrderAwaitingPayment();
        await h.InState(id, h.Machine.Compensating);

        await h.Publish(new PaymentCharged(id, 25m, "EUR"));
        await h.Consumed<PaymentCharged>();
        await h.Publish(new InventoryReleased(id));
        await h.Consumed<InventoryReleased>();

        var waiting = h.Saga.Sagas.Contains(id)!;
        Assert.Equal((h.Machine.Compensating.Name, false, true), (waiting.CurrentState, waiting.ReleasePending, waiting.RefundPending));
        Assert.Equal(1, h.SentCount<RefundPayment>());
        Assert.Equal(0, h.PublishedCount<OrderCancelled>());

        await h.Publish(new PaymentRefunded(id));
        var order = await h.InState(id, h.Machine.Cancelled);
        await h.Harness.Settle();
        Assert.Equal(FailureReasons.PaymentTimeout, order.FailureReason);
        Assert.Equal(FailureReasons.PaymentTimeout, (await h.Published<OrderCancelled>()).Reason);
    }
}
