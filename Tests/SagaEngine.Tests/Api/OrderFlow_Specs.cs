using System.Net;
using System.Net.Http.Json;
using SagaEngine.Contracts;
using SagaEngine.Host.Api;
using SagaEngine.Tests.Persistence;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Api;

/// <summary>The whole flow through the real HTTP pipeline: intake, saga, services, and what a user sees.</summary>
public abstract class OrderFlow_Specs(SagaEngineFactory host)
{
    readonly OrdersClient _client = new(host.CreateClient());

    [Fact]
    public async Task Should_accept_an_order_and_confirm_it_with_its_history()
    {
        var before = await _client.Stock("SKU-1");

        var response = await _client.PostJson(OrdersClient.OrderJson());

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = (await response.Content.ReadFromJsonAsync<OrderAccepted>())!;
        Assert.Equal($"/orders/{accepted.OrderId}", response.Headers.Location!.OriginalString);
        Assert.Equal(OrdersApi.SubmittedState, accepted.State);

        var order = await _client.WaitUntilEnded(accepted.OrderId);
        Assert.Equal("Confirmed", order.State);
        Assert.Equal(("cust-1", "EUR", 25.00m), (order.CustomerId, order.Currency, order.Total));
        Assert.Equal([new OrderItemView("SKU-1", 2, 12.50m)], order.Items);
        Assert.Null(order.FailureReason);
        Assert.Equal(["OrderSubmitted", "InventoryReserved", "PaymentCharged"], order.History.Select(h => h.Event));
        Assert.Equal("Confirmed", order.History[^1].To);
        Assert.True(order.CreatedAt <= order.UpdatedAt);

        var after = await _client.Stock("SKU-1");
        Assert.Equal((before.Available - 2, before.Reserved + 2), (after.Available, after.Reserved));
        var charge = Assert.Single(await _client.Payments(accepted.OrderId));
        Assert.Equal(("Charge", 25.00m), (charge.Kind, charge.Amount));
    }

    [Theory]
    [InlineData("SKU-2", 2, 12.50, "tok_decline", FailureReasons.PaymentDeclined)]
    [InlineData("SKU-2", 1000, 11, "tok_ok", FailureReasons.AmountOverLimit)]
    public async Task Should_cancel_a_declined_payment_and_put_the_stock_back(string sku, int quantity, decimal price, string token, string reason)
    {
        var before = await _client.Stock(sku);

        var id = await _client.Submit(sku, quantity, price, token);
        var order = await _client.WaitUntilEnded(id);

        Assert.Equal(("Cancelled", reason), (order.State, order.FailureReason));
        Assert.Equal(["OrderSubmitted", "InventoryReserved", "PaymentFailed", "InventoryReleased"], order.History.Select(h => h.Event));
        // The same counts, two events on: the reservation and its release.
        Assert.Equal(before with { Version = before.Version + 2 }, await _client.Stock(sku));
        var decline = Assert.Single(await _client.Payments(id));
        Assert.Equal(("Decline", reason), (decline.Kind, decline.Reason));
    }

    [Theory]
    [InlineData("SKU-LOW", 6, FailureReasons.OutOfStock)]
    [InlineData("SKU-NOPE", 1, FailureReasons.UnknownSku)]
    public async Task Should_cancel_an_order_the_inventory_cannot_fill_and_charge_nothing(string sku, int quantity, string reason)
    {
        var id = await _client.Submit(sku, quantity);
        var order = await _client.WaitUntilEnded(id);

        Assert.Equal(("Cancelled", reason), (order.State, order.FailureReason));
        Assert.Equal(["OrderSubmitted", "InventoryReservationFailed"], order.History.Select(h => h.Event));
        Assert.Empty(await _client.Payments(id));
        Assert.Equal(new StockView("SKU-LOW", 5, 0, 1), await _client.Stock("SKU-LOW"));
    }

    [Fact]
    public async Task Should_take_many_orders_at_once_to_their_end()
    {
        var ids = await Task.WhenAll(Enumerable.Range(0, 30).Select(i =>
            _client.Submit("SKU-3", 1, token: i % 5 == 0 ? "tok_decline" : "tok_ok")));

        var orders = await Task.WhenAll(ids.Select(id => _client.WaitUntilEnded(id, seconds: 60)));

        Assert.Equal(24, orders.Count(o => o.State == "Confirmed"));
        Assert.Equal(6, orders.Count(o => o.State == "Cancelled"));
        Assert.All(orders, o => Assert.Equal(o.State == "Confirmed" ? 3 : 4, o.History.Count));
    }

    [Fact]
    public async Task Should_show_an_accepted_order_right_after_the_202()
    {
        var id = await _client.Submit("SKU-3");

        var order = await _client.Find(id);

        Assert.NotNull(order);
        Assert.Equal(id, order.OrderId);
        await _client.WaitUntilEnded(id);
    }
}

public class OrderFlow_on_Sqlite(SqliteHost host) : OrderFlow_Specs(host), IClassFixture<SqliteHost>;

public class OrderFlow_on_Postgres(PostgresHost host) : OrderFlow_Specs(host), IClassFixture<PostgresHost>;
