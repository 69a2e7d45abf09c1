using MassTransit.Testing;
using SagaEngine.Tests.Support;
using SagaEngine.Contracts;
using SagaEngine.Sagas;
using static SagaEngine.Tests.Sagas.OrderSagaHarness;

namespace SagaEngine.Tests.Sagas;

/// <summary>
/// The order is the one sequencer of its events: submitted is 1; each event the saga publishes takes the
/// next number; each command it sends takes the next for its reply, and the timeout scheduled in the
/// reply's place carries the same one. So a reader sees each order's events numbered without gaps.
/// </summary>
public class Sequence_numbers
{
    [Fact]
    public async Task Should_number_a_confirmed_order_submitted_1_reserved_2_charged_3_confirmed_4()
    {
        await using var h = await Start();
        var id = Guid.NewGuid();
        await h.Publish(Submitted(id));
        await h.InState(id, h.Machine.AwaitingInventory);
        await h.Harness.Settle();
        Assert.Equal(2, Assert.Single(h.Harness.Sent.Select<ReserveInventory>()).Context.Message.ReplySequence);

        await h.Publish(new InventoryReserved(id, Sequence: 2));
        await h.InState(id, h.Machine.AwaitingPayment);
        await h.Harness.Settle();
        Assert.Equal(3, Assert.Single(h.Harness.Sent.Select<ChargePayment>()).Context.Message.ReplySequence);

        await h.Publish(new PaymentCharged(id, 25m, "EUR", Sequence: 3));
        var order = await h.InState(id, h.Machine.Confirmed);
        await h.Harness.Settle();

        Assert.Equal(4, (await h.Published<OrderConfirmed>()).Sequence);
        Assert.Equal(4, order.LastSequence);
    }

    [Fact]
    public async Task Should_give_a_payment_timeout_the_number_of_the_charge_it_stands_in_for()
    {
        await using var h = await Start(paymentTimeout: TimeSpan.FromSeconds(1));
        var id = await h.OrderAwaitingPayment();
        await h.InState(id, h.Machine.Compensating);
        await h.Harness.Settle();

        Assert.Equal(3, h.Saga.Consumed.Select<PaymentTimedOut>().Single().Context.Message.Sequence);
        Assert.Equal(4, Assert.Single(h.Harness.Sent.Select<ReleaseInventory>()).Context.Message.ReplySequence);

        await h.Publish(new InventoryReleased(id, Sequence: 4));
        await h.InState(id, h.Machine.Cancelled);
        await h.Harness.Settle();
        Assert.Equal(5, (await h.Published<OrderCancelled>()).Sequence);
    }

    [Fact]
    public async Task Should_number_the_release_after_an_inventory_timeout_and_the_cancellation_after_its_confirmation()
    {
        await using var h = await Start(inventoryTimeout: TimeSpan.FromSeconds(1));
        var id = await h.OrderAwaitingInventory();
        await h.InState(id, h.Machine.Compensating);
        await h.Harness.Settle();

        Assert.Equal(2, h.Saga.Consumed.Select<InventoryTimedOut>().Single().Context.Message.Sequence);
        Assert.Equal(3, Assert.Single(h.Harness.Sent.Select<ReleaseInventory>()).Context.Message.ReplySequence);

        await h.Publish(new InventoryReleased(id, Sequence: 3));
        var order = await h.InState(id, h.Machine.Cancelled);
        Assert.Equal(4, (await h.Published<OrderCancelled>()).Sequence);
        Assert.Equal(4, order.LastSequence);
    }

    [Fact]
    public async Task Should_ask_again_for_the_same_reply_number_and_give_it_to_the_cancellation_when_an_operator_resolves()
    {
        await using var h = await Start(compensationTimeout: TimeSpan.FromMilliseconds(200), compensationRetries: 1);
        var id = await h.OrderCompensating();
        var order = await h.InState(id, h.Machine.CompensationFailed);
        await h.Harness.Settle();

        // submitted 1, reserved 2, payment failed 3: the release's reply is 4, however often it is asked for.
        Assert.Equal([4, 4], h.Harness.Sent.Select<ReleaseInventory>().Select(s => s.Context.Message.ReplySequence));

        await h.Publish(new ResolveOrder(id, "ops-anna", "Released by hand."));
        await h.InState(id, h.Machine.Cancelled);
        // No gap before the cancellation: it takes the place of the release that never came.
        Assert.Equal(4, (await h.Published<OrderCancelled>()).Sequence);
        Assert.Equal(4, order.LastSequence);
    }

    [Fact]
    public async Task Should_number_a_late_charge_s_refund_for_its_confirmation()
    {
        await using var h = await Start(paymentTimeout: TimeSpan.FromMilliseconds(300));
        var id = await h.OrderAwaitingPayment();
        await h.InState(id, h.Machine.Compensating);
        await h.Publish(new InventoryReleased(id, Sequence: 4));
        await h.InState(id, h.Machine.Cancelled);
        Assert.Equal(5, (await h.Published<OrderCancelled>()).Sequence);

        await h.Publish(new PaymentCharged(id, 25m, "EUR", Sequence: 3));
        await h.Consumed<PaymentCharged>();

        Assert.Equal(6, Assert.Single(h.Harness.Sent.Select<RefundPayment>()).Context.Message.ReplySequence);
    }

    [Fact]
    public void An_order_started_before_sequence_numbers_should_issue_none()
    {
        var order = new OrderState { LastSequence = null };

        Assert.Null(order.NextSequence());
        Assert.Null(order.LastSequence);
        Assert.Equal(8, new OrderState { LastSequence = 7 }.NextSequence());
    }
}
