using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using SagaEngine.Host.Api;
using SagaEngine.Tests.Persistence;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Api;

/// <summary>The event store and the temporal queries over HTTP: streams, the feed, stock and accounts as they stood, receipts.</summary>
public class EventStoreApi_Specs(SqliteHost host) : IClassFixture<SqliteHost>
{
    readonly OrdersClient _client = new(host.CreateClient());

    [Fact]
    public async Task Should_show_the_stock_before_orders_to_a_user_who_asks_as_of_then()
    {
        var sku = await NewSku(50);
        var before = await NewTime();

        var orders = new[] { await _client.Submit(sku, 3), await _client.Submit(sku, 4), await _client.Submit(sku, 2, token: "tok_decline") };
        foreach (var id in orders)
            await _client.WaitUntilEnded(id);
        var after = await NewTime();

        Assert.Equal(new StockView(sku, 43, 7, 5), await Stock($"/inventory/{sku}"));
        Assert.Equal(new StockView(sku, 50, 0, 1), await Stock($"/inventory/{sku}?asOf={Iso(before)}"));
        Assert.Equal(new StockView(sku, 43, 7, 5), await Stock($"/inventory/{sku}?asOf={Iso(after)}"));
    }

    [Fact]
    public async Task Should_list_a_stream_in_version_order_with_its_metadata_page_by_page()
    {
        var sku = await NewSku(10);
        var orderId = await _client.Submit(sku, 2);
        await _client.WaitUntilEnded(orderId);

        var first = (await _client.Http.GetFromJsonAsync<StreamPage>($"/streams/sku-{sku}?limit=1"))!;
        var second = (await _client.Http.GetFromJsonAsync<StreamPage>($"/streams/sku-{sku}?fromVersion={first.NextVersion}&limit=1"))!;

        Assert.Equal(("StockReceived", 1L, 2L), (first.Events.Single().Type, first.Events.Single().Version, first.NextVersion));
        var reserved = second.Events.Single();
        Assert.Equal(("StockReserved", 2L, 1), (reserved.Type, reserved.Version, reserved.SchemaVersion));
        Assert.Equal(orderId, reserved.Data.GetProperty("orderId").GetGuid());
        Assert.Equal(2, reserved.Data.GetProperty("quantity").GetInt32());
        // Appended while the inventory handled ReserveInventory: that command caused it, in the order's conversation.
        Assert.Equal(orderId, reserved.Metadata.CorrelationId);
        Assert.NotNull(reserved.Metadata.CausationId);
        Assert.Null(first.Events.Single().Metadata.CausationId);
        var last = (await _client.Http.GetFromJsonAsync<StreamPage>($"/streams/sku-{sku}?fromVersion=2"))!;
        Assert.Null(last.NextVersion);
    }

    [Fact]
    public async Task Should_page_through_the_global_feed_in_position_order()
    {
        await NewSku(1);
        var seen = new List<EventView>();
        long after = 0;
        while (true)
        {
            var page = (await _client.Http.GetFromJsonAsync<FeedPage>($"/events?after={after}&limit=3"))!;
            if (page.Events.Count == 0)
                break;
            seen.AddRange(page.Events);
            after = page.Next;
        }

        Assert.Equal(seen.Select(e => e.Position).Order(), seen.Select(e => e.Position));
        Assert.Equal(seen.Count, seen.Select(e => e.Position).Distinct().Count());
        Assert.Contains(seen, e => e.StreamId == "sku-SKU-1" && e.Version == 1);
        Assert.Equal(after, (await _client.Http.GetFromJsonAsync<FeedPage>($"/events?after={after}"))!.Next);
    }

    [Fact]
    public async Task Should_show_a_customer_s_account_now_and_as_of_before_their_charge()
    {
        var customer = $"acct-{Guid.NewGuid():N}"[..20];
        var first = await Submit(customer, 2, 12.50m);
        await _client.WaitUntilEnded(first);
        var between = await NewTime();
        await _client.WaitUntilEnded(await Submit(customer, 1, 4.25m));

        var now = (await _client.Http.GetFromJsonAsync<AccountView>($"/customers/{customer}/account"))!;
        var then = (await _client.Http.GetFromJsonAsync<AccountView>($"/customers/{customer}/account?asOf={Iso(between)}"))!;

        Assert.Equal((2L, new CurrencyBalanceView("EUR", 29.25m, 0m, 29.25m)), (now.Version, now.Balances.Single()));
        Assert.Equal((1L, new CurrencyBalanceView("EUR", 25.00m, 0m, 25.00m)), (then.Version, then.Balances.Single()));
        Assert.Equal(HttpStatusCode.NotFound,
            (await _client.Http.GetAsync($"/customers/{customer}/account?asOf={Iso(DateTime.UtcNow.AddDays(-1))}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.Http.GetAsync("/customers/nobody-at-all/account")).StatusCode);
    }

    [Fact]
    public async Task Should_receive_stock_into_a_sku_and_record_the_receipt_on_its_stream()
    {
        var sku = await NewSku(5);

        var response = await _client.Http.PostAsJsonAsync($"/inventory/{sku}/receipts", new { quantity = 7 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new StockView(sku, 12, 0, 2), await response.Content.ReadFromJsonAsync<StockView>());
        var stream = (await _client.Http.GetFromJsonAsync<StreamPage>($"/streams/sku-{sku}"))!;
        Assert.Equal(["StockReceived", "StockReceived"], stream.Events.Select(e => e.Type));
        Assert.Equal("receipt", stream.Events[1].Data.GetProperty("source").GetString());
    }

    [Theory]
    [InlineData("/inventory/SKU-1?asOf=yesterday", "asOf")]
    [InlineData("/inventory/SKU-1?asOf=2026-13-01", "asOf")]
    [InlineData("/inventory/SKU-1?asOf=11/26/2026", "asOf")]
    [InlineData("/customers/cust-1/account?asOf=2026-11-26T25:00:00Z", "asOf")]
    [InlineData("/customers/not%20valid/account", "customerId")]
    [InlineData("/streams/sku-SKU-1?fromVersion=0", "fromVersion")]
    [InlineData("/streams/sku-SKU-1?limit=1001", "limit")]
    [InlineData("/events?after=-1", "after")]
    [InlineData("/events?limit=0", "limit")]
    public async Task Should_answer_400_problem_naming_a_malformed_parameter(string url, string parameter)
    {
        var response = await _client.Http.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([parameter], (await response.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.Keys);
    }

    [Theory]
    [InlineData("2026-11-26")]
    [InlineData("2026-11-26T10:15Z")]
    [InlineData("2026-11-26T10:15:00.1234567%2B01:00")]
    [InlineData("2026-11-26T10:15:00+01:00")]
    public async Task Should_read_every_iso_8601_form_of_as_of(string asOf)
    {
        var response = await _client.Http.GetAsync($"/inventory/SKU-1?asOf={asOf}");

        // Before the stream existed, so 404; what matters is that the time was understood.
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("SKU-1", """{"quantity":0}""", "quantity")]
    [InlineData("SKU-1", """{"quantity":1000001}""", "quantity")]
    [InlineData("SKU-1", """{}""", "quantity")]
    [InlineData("SKU-1", "", "body")]
    [InlineData("SKU-1", """{"quantity":"3"}""", "quantity")]
    [InlineData("sku-lower", """{"quantity":3}""", "sku")]
    public async Task Should_refuse_a_bad_receipt_naming_the_field(string sku, string body, string field)
    {
        var response = await _client.Http.PostAsync($"/inventory/{sku}/receipts",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([field], (await response.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.Keys);
    }

    [Fact]
    public async Task Should_answer_404_for_an_unknown_stream_and_for_stock_asked_about_before_its_sku_existed()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _client.Http.GetAsync("/streams/sku-NOPE")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.Http.GetAsync("/streams/nocategory")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.Http.GetAsync($"/inventory/SKU-1?asOf={Iso(DateTime.UtcNow.AddYears(-1))}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.Http.GetAsync($"/inventory/SKU-NOPE?asOf={Iso(DateTime.UtcNow)}")).StatusCode);
    }

    async Task<string> NewSku(int quantity)
    {
        var sku = $"T-{Guid.NewGuid():N}"[..16].ToUpperInvariant();
        (await _client.Http.PostAsJsonAsync($"/inventory/{sku}/receipts", new { quantity })).EnsureSuccessStatusCode();
        return sku;
    }

    /// <summary>A time strictly between what came before and what comes after.</summary>
    static async Task<DateTime> NewTime()
    {
        await Task.Delay(20);
        var now = DateTime.UtcNow;
        await Task.Delay(20);
        return now;
    }

    static string Iso(DateTime time) => Uri.EscapeDataString(time.ToString("O"));

    async Task<StockView> Stock(string url) => (await _client.Http.GetFromJsonAsync<StockView>(url))!;

    Task<Guid> Submit(string customer, int quantity, decimal unitPrice) =>
        _client.PostJson(System.Text.Json.JsonSerializer.Serialize(new
        {
            customerId = customer, currency = "EUR", paymentToken = "tok_ok",
            items = new[] { new { sku = "SKU-3", quantity, unitPrice } }
        })).ContinueWith(async r =>
        {
            var response = await r;
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<OrderAccepted>())!.OrderId;
        }).Unwrap();
}
