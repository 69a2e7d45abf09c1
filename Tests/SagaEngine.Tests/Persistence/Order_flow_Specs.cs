using SagaEngine.Contracts;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Persistence;

/// <summary>The whole order flow through the HTTP API, on a real database of each provider.</summary>
public abstract class Order_flow_Specs(SagaEngineFactory host)
{
    readonly OrderApiClient _api = new(host.CreateClient());

    [Fact]
    public async Task Should_confirm_an_order_that_stock_and_payment_allow()
    {
        var before = await _api.Stock("SKU-1");

        var order = await _api.WaitUntilEnded(await _api.Submit("SKU-1", 2));

        Assert.Equal("Confirmed", order!.State);
        Assert.Equal(["OrderSubmitted", "InventoryReserved", "PaymentCharged"], order.History.Select(h => h.Event));
        Assert.Equal(25.00m, order.Total);
        var after = await _api.Stock("SKU-1");
        Assert.Equal((before.Available - 2, before.Reserved + 2), (after.Available, after.Reserved));
    }

    [Fact]
    public async Task Should_cancel_an_order_that_is_out_of_stock()
    {
        var order = await _api.WaitUntilEnded(await _api.Submit("SKU-LOW", 6));

        Assert.Equal(("Cancelled", FailureReasons.OutOfStock), (order!.State, order.FailureReason));
        Assert.Equal(["OrderSubmitted", "InventoryReservationFailed"], order.History.Select(h => h.Event));
    }

    [Fact]
    public async Task Should_cancel_a_declined_payment_and_restore_the_stock()
    {
        var before = await _api.Stock("SKU-2");

        var order = await _api.WaitUntilEnded(await _api.Submit("SKU-2", 3, token: "tok_decline"));

        Assert.Equal(("Cancelled", FailureReasons.PaymentDeclined), (order!.State, order.FailureReason));
        Assert.Equal(["OrderSubmitted", "InventoryReserved", "PaymentFailed", "InventoryReleased"], order.History.Select(h => h.Event));
        Assert.Equal(before, await _api.Stock("SKU-2"));
    }

    [Fact]
    public async Task Should_take_many_orders_at_once_to_their_end()
    {
        var ids = await Task.WhenAll(Enumerable.Range(0, 30).Select(i =>
            _api.Submit("SKU-3", 1, token: i % 5 == 0 ? "tok_decline" : "tok_ok")));

        var orders = await Task.WhenAll(ids.Select(id => _api.WaitUntilEnded(id, seconds: 60)));

        Assert.Equal(24, orders.Count(o => o!.State == "Confirmed"));
        Assert.Equal(6, orders.Count(o => o!.State == "Cancelled"));
        Assert.All(orders, o => Assert.Equal(o!.State == "Confirmed" ? 3 : 4, o.History.Count));
    }

    [Fact]
    public async Task Should_show_an_accepted_order_right_after_the_202()
    {
        var id = await _api.Submit("SKU-3");

        var order = await _api.Find(id);

        Assert.NotNull(order);
        Assert.Equal(id, order.OrderId);
        Assert.Contains(order.State, new[] { "Submitted", "AwaitingInventory", "AwaitingPayment", "Confirmed" });
        await _api.WaitUntilEnded(id);
    }
}

public class Order_flow_on_Sqlite(SqliteHost host) : Order_flow_Specs(host), IClassFixture<SqliteHost>;

public class Order_flow_on_Postgres(PostgresHost host) : Order_flow_Specs(host), IClassFixture<PostgresHost>;
