using SagaEngine.Consumers.Projections;
using SagaEngine.Consumers.Projections.CustomerOrders;
using SagaEngine.Consumers.Projections.OrderStats;
using SagaEngine.Consumers.Projections.Sales;
using SagaEngine.Contracts;

namespace SagaEngine.Tests.Projections;

/// <summary>The three read models as pure folds, fed with an order's events as the runner hands them over: one order, in sequence order.</summary>
public class ReadModelFolds_Specs
{
    static readonly Guid OrderId = Guid.Parse("0b4f7c1e-0000-0000-0000-000000000001");
    static readonly DateTime Submitted = new(2026, 11, 30, 12, 59, 58, 500, DateTimeKind.Utc);
    static readonly OrderLine[] Lines = [new("SKU-1", 2, 12.50m), new("SKU-2", 1, 5m)];

    static OrderSubmitted Submission() => new(OrderId, "cust-1", "EUR", Lines, 30m, "tok_ok", Submitted);

    [Fact]
    public void Each_order_event_is_read_as_its_order_s_stream_with_its_sequence_number()
    {
        Assert.Equal(new("0b4f7c1e-0000-0000-0000-000000000001", 1), OrderEvents.StreamOf(Submission()));
        Assert.Equal(new(OrderId.ToString(), 3), OrderEvents.StreamOf(new PaymentCharged(OrderId, 30m, "EUR", 3)));
        Assert.Equal(new(OrderId.ToString(), null), OrderEvents.StreamOf(new InventoryReserved(OrderId)));
        // Commands carry the number for their reply, not one of their own: not events of the stream.
        Assert.Null(OrderEvents.StreamOf(new ReserveInventory(OrderId, Lines, 2)));
        Assert.Contains(typeof(InventoryTimedOut), OrderEvents.All);
        Assert.DoesNotContain(typeof(ChargePayment), OrderEvents.All);
    }

    [Fact]
    public void A_customer_order_goes_through_the_states_of_its_events_and_keeps_its_submission_figures()
    {
        CustomerOrder? order = null;
        order = CustomerOrdersFold.Apply(order, Submission(), Submitted.AddMilliseconds(3));
        Assert.Equal((CustomerOrderStates.AwaitingInventory, 30m, "EUR", 2, Submitted, Submitted),
            (order!.State, order.Total, order.Currency, order.Lines, order.CreatedAt, order.UpdatedAt));

        order = CustomerOrdersFold.Apply(order, new InventoryReserved(OrderId, 2), Submitted.AddSeconds(1));
        Assert.Equal(CustomerOrderStates.AwaitingPayment, order!.State);
        order = CustomerOrdersFold.Apply(order, new PaymentCharged(OrderId, 30m, "EUR", 3), Submitted.AddSeconds(2));
        order = CustomerOrdersFold.Apply(order, new OrderConfirmed(OrderId, 30m, "EUR", "cust-1", Lines, 4), Submitted.AddSeconds(3));

        Assert.Equal((CustomerOrderStates.Confirmed, Submitted.AddSeconds(3), "cust-1"), (order!.State, order.UpdatedAt, order.CustomerId));
    }

    [Fact]
    public void A_cancelled_order_keeps_its_reason_and_an_ended_order_ignores_what_comes_after()
    {
        var order = CustomerOrdersFold.Apply(null, Submission(), Submitted);
        order = CustomerOrdersFold.Apply(order, new InventoryReserved(OrderId, 2), Submitted.AddSeconds(1));
        order = CustomerOrdersFold.Apply(order, new PaymentFailed(OrderId, FailureReasons.PaymentDeclined, 3), Submitted.AddSeconds(2));
        Assert.Equal((CustomerOrderStates.Compensating, FailureReasons.PaymentDeclined), (order!.State, order.FailureReason));
        order = CustomerOrdersFold.Apply(order, new InventoryReleased(OrderId, 4), Submitted.AddSeconds(3));
        order = CustomerOrdersFold.Apply(order, new OrderCancelled(OrderId, FailureReasons.PaymentDeclined, Sequence: 5), Submitted.AddSeconds(4));
        var ended = order;

        order = CustomerOrdersFold.Apply(order, new InventoryReserved(OrderId, 6), Submitted.AddSeconds(9));

        Assert.Equal(CustomerOrderStates.Cancelled, order!.State);
        Assert.Equal(ended, order);
    }

    [Fact]
    public void An_order_whose_submission_was_never_seen_is_placed_from_a_version_2_ending_and_skipped_without_a_customer()
    {
        var placed = CustomerOrdersFold.Apply(null, new OrderConfirmed(OrderId, 30m, "EUR", "cust-1", Lines, 4), Submitted);
        var unplaceable = CustomerOrdersFold.Apply(null, new OrderConfirmed(OrderId, 30m, "EUR"), Submitted);

        Assert.Equal(("cust-1", CustomerOrderStates.Confirmed, 2), (placed!.CustomerId, placed.State, placed.Lines));
        Assert.Null(unplaceable);
    }

    [Fact]
    public void A_confirmed_order_sells_its_lines_in_the_hour_of_its_confirmation()
    {
        var (order, sold) = SalesFold.Apply(null, Submission(), Submitted);
        Assert.Empty(sold);

        (order, sold) = SalesFold.Apply(order, new OrderConfirmed(OrderId, 30m, "EUR", "cust-1", Lines, 4), Submitted.AddSeconds(2));

        var hour = new DateTime(2026, 11, 30, 13, 0, 0, DateTimeKind.Utc);
        Assert.Equal([new SalesLine("SKU-1", "EUR", hour, 2, 25m), new SalesLine("SKU-2", "EUR", hour, 1, 5m)], sold);
        Assert.Null(order);
    }

    [Fact]
    public void A_release_1_confirmation_without_lines_sells_the_lines_it_was_submitted_with()
    {
        var (order, _) = SalesFold.Apply(null, Submission(), Submitted);

        var (_, sold) = SalesFold.Apply(order, new OrderConfirmed(OrderId, 30m, "EUR"), Submitted);

        Assert.Equal([("SKU-1", 2L, 25m), ("SKU-2", 1L, 5m)], sold.Select(s => (s.Sku, s.Units, s.Revenue)));
    }

    [Fact]
    public void A_cancelled_order_sells_nothing()
    {
        var (order, _) = SalesFold.Apply(null, Submission(), Submitted);

        var (after, sold) = SalesFold.Apply(order, new OrderCancelled(OrderId, FailureReasons.OutOfStock, Sequence: 3), Submitted);

        Assert.Empty(sold);
        Assert.Null(after);
    }

    [Fact]
    public void Order_stats_count_a_submission_in_its_minute_and_an_ending_in_its_own_with_the_time_between()
    {
        var (order, submitted) = OrderStatsFold.Apply(null, Submission(), Submitted.AddSeconds(5));
        Assert.Equal(new StatsDelta(new DateTime(2026, 11, 30, 12, 59, 0, DateTimeKind.Utc), Submitted: 1), submitted);

        var (after, cancelled) = OrderStatsFold.Apply(order, new OrderCancelled(OrderId, FailureReasons.OutOfStock, Sequence: 3),
            Submitted.AddMilliseconds(1500));

        Assert.Null(after);
        Assert.Equal((new DateTime(2026, 11, 30, 13, 0, 0, DateTimeKind.Utc), 1L, FailureReasons.OutOfStock, DurationBuckets.Of(TimeSpan.FromMilliseconds(1500))),
            (cancelled.Minute, cancelled.Cancelled, cancelled.Reason, cancelled.DurationBucket));
    }

    [Fact]
    public void Events_in_between_change_no_statistic()
    {
        var (order, _) = OrderStatsFold.Apply(null, Submission(), Submitted);

        var (after, delta) = OrderStatsFold.Apply(order, new InventoryReserved(OrderId, 2), Submitted);

        Assert.True(delta.IsEmpty);
        Assert.Equal(order, after);
    }

    [Theory]
    [InlineData(0.4)]
    [InlineData(1)]
    [InlineData(37)]
    [InlineData(1_234)]
    [InlineData(86_400_000)]
    public void A_duration_read_back_from_its_bucket_is_within_three_percent(double milliseconds)
    {
        var value = DurationBuckets.Milliseconds(DurationBuckets.Of(TimeSpan.FromMilliseconds(milliseconds)));

        Assert.InRange(value, Math.Floor(milliseconds * 0.97), Math.Ceiling(milliseconds * 1.03));
    }

    [Fact]
    public void Percentiles_come_from_the_bucket_holding_their_rank()
    {
        var counts = new Dictionary<int, long>();
        for (var ms = 1; ms <= 100; ms++)
        {
            var bucket = DurationBuckets.Of(TimeSpan.FromMilliseconds(ms * 10));
            counts[bucket] = counts.GetValueOrDefault(bucket) + 1;
        }

        Assert.InRange(DurationBuckets.Percentile(counts, 0.50)!.Value, 485, 515);
        Assert.InRange(DurationBuckets.Percentile(counts, 0.99)!.Value, 960, 1020);
        Assert.Null(DurationBuckets.Percentile(new Dictionary<int, long>(), 0.5));
    }
}
