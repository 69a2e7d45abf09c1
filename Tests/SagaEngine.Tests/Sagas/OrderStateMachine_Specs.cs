using static SagaEngine.Tests.Sagas.CancelledOrders;
using SagaEngine.Tests.Support;
using SagaEngine.Contracts;
using static SagaEngine.Tests.Sagas.OrderSagaHarness;

namespace SagaEngine.Tests.Sagas;

public class Submitting_an_order
{
    [Fact]
    public async Task Should_reserve_inventory_and_wait_for_it()
    {
        await using var h = await Start();
        var id = Guid.NewGuid();

        await h.Publish(Submitted(id));

        var order = await h.InState(id, h.Machine.AwaitingInventory);
        Assert.Equal(25.00m, order.Total);
        Assert.Equal("SKU-1", Assert.Single(order.Items).Sku);
        await h.Harness.Settle();
        var reserve = Assert.Single(h.Harness.Sent.Select<ReserveInventory>()).Context;
        Assert.Equal(id, reserve.Message.OrderId);
        Assert.EndsWith($"/{ServiceEndpoints.Inventory}", reserve.DestinationAddress!.AbsolutePath);
    }
}

public class An_order_that_goes_through
{
    [Fact]
    public async Task Should_charge_after_reservation_and_end_confirmed()
    {
        await using var h = await Start();
        var id = Guid.NewGuid();
        await h.Publish(Submitted(id));
        await h.InState(id, h.Machine.AwaitingInventory);

        await h.Publish(new InventoryReserved(id));
        await h.InState(id, h.Machine.AwaitingPayment);
        await h.Harness.Settle();
        var charge = Assert.Single(h.Harness.Sent.Select<ChargePayment>()).Context.Message;
        Assert.Equal(new ChargePayment(id, 25.00m, "EUR", "tok_ok", ReplySequence: 3, CustomerId: "cust-1"), charge);

        await h.Publish(new PaymentCharged(id, 25.00m, "EUR"));
        var order = await h.InState(id, h.Machine.Confirmed);
        await h.Harness.Settle();

        var confirmed = (await h.Published<OrderConfirmed>());
        Assert.Equal((id, 25.00m, "EUR", "cust-1", (int?)4), (confirmed.OrderId, confirmed.Total, confirmed.Currency, confirmed.CustomerId, confirmed.Sequence));
        Assert.Equal([new OrderLine("SKU-1", 2, 12.50m)], confirmed.Items!);
        Assert.Null(order.FailureReason);
        Assert.Equal(
            ["OrderSubmitted: Initial -> AwaitingInventory", "InventoryReserved: AwaitingInventory -> AwaitingPayment", "PaymentCharged: AwaitingPayment -> Confirmed"],
            order.History.Select(t => $"{t.Event}: {t.From} -> {t.To}"));
        Assert.All(order.History, t => Assert.Equal(DateTimeKind.Utc, t.At.Kind));
        Assert.True(order.History.Select(t => t.At).SequenceEqual(order.History.Select(t => t.At).Order()));
        Assert.Equal(order.History[^1].At, order.UpdatedAt);
    }
}

public class An_order_without_stock
{
    [Theory]
    [InlineData(FailureReasons.OutOfStock)]
    [InlineData(FailureReasons.UnknownSku)]
    public async Task Should_end_cancelled_with_the_reason_of_the_reply_and_charge_nothing(string reason)
    {
        await using var h = await Start();
        var id = await h.OrderAwaitingInventory();

        await h.Publish(new InventoryReservationFailed(id, reason));

        var order = await h.InState(id, h.Machine.Cancelled);
        await h.Harness.Settle();
        Assert.Equal(reason, order.FailureReason);
        AssertCancelled((await h.Published<OrderCancelled>()), id, reason, sequence: 3);
        Assert.Equal(0, h.SentCount<ChargePayment>());
        Assert.Equal(0, h.SentCount<ReleaseInventory>());
    }
}

public class An_order_whose_payment_fails
{
    [Theory]
    [InlineData(FailureReasons.PaymentDeclined)]
    [InlineData(FailureReasons.AmountOverLimit)]
    public async Task Should_release_the_inventory_before_it_ends_cancelled(string reason)
    {
        await using var h = await Start();
        var id = await h.OrderAwaitingPayment();

        await h.Publish(new PaymentFailed(id, reason));
        await h.InState(id, h.Machine.Compensating);
        await h.Harness.Settle();
        Assert.Equal(new ReleaseInventory(id, ReplySequence: 4), Assert.Single(h.Harness.Sent.Select<ReleaseInventory>()).Context.Message);
        Assert.Equal(0, h.PublishedCount<OrderCancelled>());

        await h.Publish(new InventoryReleased(id));
        var order = await h.InState(id, h.Machine.Cancelled);
        await h.Harness.Settle();
        Assert.Equal(reason, order.FailureReason);
        AssertCancelled((await h.Published<OrderCancelled>()), id, reason, sequence: 5);
        Assert.Equal(["Initial", "AwaitingInventory", "AwaitingPayment", "Compensating", "Cancelled"],
            order.History.Select(t => t.From).Append(order.History[^1].To));
    }
}

static class CancelledOrders
{
    /// <summary>What every cancellation carries since version 2: the order's customer, lines and total, and its sequence number.</summary>
    public static void AssertCancelled(OrderCancelled cancelled, Guid id, string reason, int sequence)
    {
        Assert.Equal((id, reason, "cust-1", (decimal?)25.00m, "EUR", (int?)sequence),
            (cancelled.OrderId, cancelled.Reason, cancelled.CustomerId, cancelled.Total, cancelled.Currency, cancelled.Sequence));
        Assert.Equal([new OrderLine("SKU-1", 2, 12.50m)], cancelled.Items!);
    }
}
