using SagaEngine.Tests.Support;
using MassTransit;
using SagaEngine.Contracts;
using static SagaEngine.Tests.Sagas.OrderSagaHarness;

namespace SagaEngine.Tests.Sagas;

public class A_release_that_is_never_confirmed
{
    static readonly TimeSpan Wait = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task Should_be_asked_for_again_with_back_off_then_leave_the_order_compensation_failed()
    {
        await using var h = await Start(compensationTimeout: Wait, compensationRetries: 2);
        var id = await h.OrderCompensating();

        var order = await h.InState(id, h.Machine.CompensationFailed);
        await h.Harness.Settle();

        Assert.Equal(3, h.SentCount<ReleaseInventory>());
        Assert.Equal(0, h.PublishedCount<OrderCancelled>());
        Assert.Equal((FailureReasons.PaymentDeclined, true, false), (order.FailureReason, order.ReleasePending, order.RefundPending));
        var steps = order.History.Skip(3).ToList();
        Assert.Equal(
        [
            "CompensationTimeout.Received: Compensating -> Compensating",
            "CompensationTimeout.Received: Compensating -> Compensating",
            "CompensationTimeout.Received: Compensating -> CompensationFailed"
        ], steps.Select(t => $"{t.Event}: {t.From} -> {t.To}"));
        // Each wait is twice the one before: 300 ms, 600 ms, 1200 ms after entering Compensating.
        var times = order.History.Skip(2).Select(t => t.At).ToList();
        for (var i = 1; i < times.Count; i++)
            Assert.True(times[i] - times[i - 1] >= Wait * (1 << (i - 1)) - TimeSpan.FromMilliseconds(50),
                $"Wait {i} was {(times[i] - times[i - 1]).TotalMilliseconds} ms.");
        Assert.False(h.AnyFault);
    }

    [Fact]
    public async Task Should_still_cancel_the_order_when_the_confirmation_comes_after_it_gave_up()
    {
        await using var h = await Start(compensationTimeout: Wait, compensationRetries: 0);
        var id = await h.OrderCompensating();
        await h.InState(id, h.Machine.CompensationFailed);

        await h.Publish(new InventoryReleased(id));
        var order = await h.InState(id, h.Machine.Cancelled);
        await h.Harness.Settle();

        Assert.Equal(FailureReasons.PaymentDeclined, order.FailureReason);
        var cancelled = await h.Published<OrderCancelled>();
        Assert.Equal((id, FailureReasons.PaymentDeclined), (cancelled.OrderId, cancelled.Reason));
        Assert.Equal(("InventoryReleased", "CompensationFailed", "Cancelled"), (order.History[^1].Event, order.History[^1].From, order.History[^1].To));
    }

    [Fact]
    public async Task Should_not_be_given_up_on_when_it_is_confirmed_in_time()
    {
        await using var h = await Start(compensationTimeout: TimeSpan.FromSeconds(1), compensationRetries: 0);
        var id = await h.OrderCompensating();

        await h.Publish(new InventoryReleased(id));
        var order = await h.InState(id, h.Machine.Cancelled);
        Assert.Null(order.CompensationTimeoutToken);

        // The harness cannot take the scheduled timeout back: it arrives, and must change nothing.
        await h.Consumed<CompensationTimedOut>();
        Assert.Equal(h.Machine.Cancelled.Name, order.CurrentState);
        Assert.Equal(1, h.SentCount<ReleaseInventory>());
        Assert.Equal(1, h.PublishedCount<OrderCancelled>());
    }
}

public class An_operator_retrying_a_failed_compensation
{
    [Fact]
    public async Task Should_send_the_compensation_again_wait_for_it_and_record_who_asked()
    {
        await using var h = await Start(compensationTimeout: TimeSpan.FromSeconds(2), compensationRetries: 0);
        var id = await h.OrderCompensating();
        await h.InState(id, h.Machine.CompensationFailed);

        await h.Publish(new RetryCompensation(id, "ops-anna"));
        var order = await h.InState(id, h.Machine.Compensating);
        var retried = order.History[^1];
        await h.Consumed<RetryCompensation>();

        Assert.Equal(2, h.SentCount<ReleaseInventory>());
        Assert.Equal(("RetryCompensation", "CompensationFailed", "Compensating", "ops-anna", (string?)null),
            (retried.Event, retried.From, retried.To, retried.Operator, retried.Note));
        Assert.Equal(0, order.CompensationRetries);

        await h.Publish(new InventoryReleased(id));
        order = await h.InState(id, h.Machine.Cancelled);
        Assert.Equal(FailureReasons.PaymentDeclined, order.FailureReason);
    }

    [Fact]
    public async Task Should_give_the_compensation_its_retries_again()
    {
        await using var h = await Start(compensationTimeout: TimeSpan.FromMilliseconds(200), compensationRetries: 1);
        var id = await h.OrderCompensating();
        await h.InState(id, h.Machine.CompensationFailed);
        Assert.Equal(2, h.SentCount<ReleaseInventory>());

        await h.Publish(new RetryCompensation(id, "ops-anna"));
        await h.Consumed<RetryCompensation>();
        var order = await h.InState(id, h.Machine.CompensationFailed);
        await h.Harness.Settle();

        Assert.Equal(4, h.SentCount<ReleaseInventory>());
        Assert.Equal(["Compensating", "Compensating", "CompensationFailed", "Compensating", "Compensating", "CompensationFailed"],
            order.History.Skip(2).Select(t => t.To));
    }
}

public class An_operator_resolving_a_failed_compensation
{
    [Fact]
    public async Task Should_end_the_order_cancelled_by_the_operator_with_the_note()
    {
        await using var h = await Start(compensationTimeout: TimeSpan.FromMilliseconds(300), compensationRetries: 0);
        var id = await h.OrderCompensating();
        await h.InState(id, h.Machine.CompensationFailed);

        await h.Publish(new ResolveOrder(id, "ops-anna", "Stock counted and put back by hand."));
        var order = await h.InState(id, h.Machine.Cancelled);
        await h.Harness.Settle();

        Assert.Equal(FailureReasons.ResolvedByOperator, order.FailureReason);
        var cancelled = await h.Published<OrderCancelled>();
        Assert.Equal((id, FailureReasons.ResolvedByOperator), (cancelled.OrderId, cancelled.Reason));
        Assert.Equal((false, false), (order.ReleasePending, order.RefundPending));
        var resolved = order.History[^1];
        Assert.Equal(("ResolveOrder", "CompensationFailed", "Cancelled", "ops-anna", "Stock counted and put back by hand."),
            (resolved.Event, resolved.From, resolved.To, resolved.Operator, resolved.Note));
        Assert.Equal(1, h.SentCount<ReleaseInventory>());
        Assert.False(h.AnyFault);
    }
}

public class Operator_actions_in_another_state
{
    [Fact]
    public async Task Should_be_ignored_by_an_order_that_is_not_compensation_failed()
    {
        await using var h = await Start();
        var awaitingPayment = await h.OrderAwaitingPayment();
        var compensating = await h.OrderCompensating();
        var confirmed = await h.ConfirmedOrder();

        foreach (var id in new[] { awaitingPayment, compensating, confirmed })
        {
            await h.Publish(new RetryCompensation(id, "ops-anna"));
            await h.Publish(new ResolveOrder(id, "ops-anna", "Not needed."));
        }
        await h.Consumed<RetryCompensation>(3);
        await h.Consumed<ResolveOrder>(3);

        Assert.Equal(h.Machine.AwaitingPayment.Name, h.Saga.Sagas.Contains(awaitingPayment)!.CurrentState);
        Assert.Equal(h.Machine.Compensating.Name, h.Saga.Sagas.Contains(compensating)!.CurrentState);
        Assert.Equal(h.Machine.Confirmed.Name, h.Saga.Sagas.Contains(confirmed)!.CurrentState);
        Assert.Equal(1, h.SentCount<ReleaseInventory>());
        Assert.Equal(0, h.PublishedCount<OrderCancelled>());
        foreach (var id in new[] { awaitingPayment, compensating, confirmed })
            Assert.DoesNotContain(h.Saga.Sagas.Contains(id)!.History, t => t.Operator is not null);
        Assert.False(h.AnyFault);
    }
}

public class A_refund_of_a_late_charge
{
    /// <remarks>
    /// The harness's scheduler delivers even a timeout the order no longer waits for (it cannot take one
    /// back, and its messages carry no scheduling token to tell them apart), so a spec that must not see
    /// the compensation timeout of the release give it a wait longer than the spec.
    /// </remarks>
    static async Task<(OrderSagaHarness, Guid)> Cancelled(int compensationRetries, TimeSpan compensationTimeout)
    {
        var h = await Start(paymentTimeout: TimeSpan.FromMilliseconds(300), compensationTimeout: compensationTimeout,
            compensationRetries: compensationRetries);
        var id = await h.OrderAwaitingPayment();
        await h.InState(id, h.Machine.Compensating);
        await h.Publish(new InventoryReleased(id));
        await h.InState(id, h.Machine.Cancelled);
        return (h, id);
    }

    [Fact]
    public async Task Should_be_confirmed_while_the_order_stays_cancelled()
    {
        var (h, id) = await Cancelled(compensationRetries: 3, TimeSpan.FromMinutes(5));
        await using var _ = h;

        await h.Publish(new PaymentCharged(id, 25m, "EUR"));
        await h.Consumed<PaymentCharged>();
        Assert.True(h.Saga.Sagas.Contains(id)!.RefundPending);
        await h.Publish(new PaymentRefunded(id));
        await h.Consumed<PaymentRefunded>();

        var order = h.Saga.Sagas.Contains(id)!;
        Assert.Equal((h.Machine.Cancelled.Name, false, (Guid?)null), (order.CurrentState, order.RefundPending, order.CompensationTimeoutToken));
        Assert.Equal([("PaymentCharged", "Cancelled"), ("PaymentRefunded", "Cancelled")], order.History.Skip(4).Select(t => (t.Event, t.To)));
        Assert.Equal(1, h.SentCount<RefundPayment>());
        Assert.Equal(1, h.PublishedCount<OrderCancelled>());
    }

    [Fact]
    public async Task Should_be_asked_for_again_and_leave_the_order_compensation_failed_when_never_confirmed()
    {
        var (h, id) = await Cancelled(compensationRetries: 1, TimeSpan.FromSeconds(1));
        await using var _ = h;

        await h.Publish(new PaymentCharged(id, 25m, "EUR"));
        var order = await h.InState(id, h.Machine.CompensationFailed);
        await h.Harness.Settle();

        Assert.Equal(2, h.SentCount<RefundPayment>());
        Assert.Equal(1, h.SentCount<ReleaseInventory>());
        Assert.Equal((false, true), (order.ReleasePending, order.RefundPending));
        Assert.Equal(("CompensationTimeout.Received", "Cancelled", "CompensationFailed"), (order.History[^1].Event, order.History[^1].From, order.History[^1].To));

        // Retried by an operator, confirmed at last: Cancelled again, and not announced a second time.
        await h.Publish(new RetryCompensation(id, "ops-anna"));
        await h.InState(id, h.Machine.Compensating);
        await h.Publish(new PaymentRefunded(id));
        order = await h.InState(id, h.Machine.Cancelled);
        await h.Harness.Settle();

        Assert.Equal(3, h.SentCount<RefundPayment>());
        Assert.Equal(1, h.SentCount<ReleaseInventory>());
        Assert.Equal(FailureReasons.PaymentTimeout, order.FailureReason);
        Assert.Equal(1, h.PublishedCount<OrderCancelled>());
    }
}
