using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using SagaEngine.Consumers.Projections.Sales;
using SagaEngine.Contracts;
using SagaEngine.Host.Api;
using SagaEngine.Host.Projections.Applying;
using SagaEngine.Host.Projections.Rebuild;
using SagaEngine.Host.Schemas;
using SagaEngine.Tests.Persistence;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Projections;

/// <summary>
/// The read models as a user meets them, on the real flow: a new customer posts orders and finds them in
/// their list at once with consistentWith, their revenue in the sales report, their counts in the order
/// statistics, and each projection caught up in GET /projections.
/// </summary>
public abstract class ReadModels_Specs(SagaEngineFactory host)
{
    readonly OrdersClient _orders = new(host.CreateClient());
    readonly ReadModelsClient _reads = new(host.CreateClient());

    static string NewCustomer() => $"cust-{Guid.NewGuid():N}"[..20];

    async Task<Guid> Submit(string customer, string sku = "SKU-1", int quantity = 2, decimal unitPrice = 12.50m, string token = "tok_ok")
    {
        var json = JsonSerializer.Serialize(new
        {
            customerId = customer, currency = "EUR", items = new[] { new { sku, quantity, unitPrice } }, paymentToken = token
        });
        var response = await _orders.Http.PostAsync("/orders", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<OrderAccepted>())!.OrderId;
    }

    [Fact]
    public async Task Should_list_a_new_customers_orders_at_once_with_consistentWith_newest_first_with_their_figures()
    {
        var customer = NewCustomer();
        var ids = new List<Guid>();
        for (var i = 1; i <= 3; i++)
        {
            var id = await Submit(customer, quantity: i);
            ids.Add(id);

            var (page, lag) = await _reads.CustomerOrders(customer, $"?consistentWith={id}");

            Assert.Null(lag);
            Assert.Equal(Enumerable.Reverse(ids), page.Items.Select(o => o.OrderId));
            var order = page.Items[0];
            Assert.Equal((12.50m * i, "EUR", 1), (order.Total, order.Currency, order.Lines));
        }

        foreach (var id in ids)
            await _orders.WaitUntilEnded(id);
        var (ended, _) = await _reads.CustomerOrders(customer, $"?consistentWith={ids[^1]}&state=Confirmed");
        Assert.Contains(ids[^1], ended.Items.Select(o => o.OrderId));
    }

    [Fact]
    public async Task Should_end_each_order_in_the_state_and_with_the_reason_its_saga_ended_with_and_page_with_a_cursor()
    {
        var customer = NewCustomer();
        var ids = new List<Guid>
        {
            await Submit(customer), await Submit(customer, token: "tok_decline"), await Submit(customer, sku: "SKU-NOPE"),
            await Submit(customer, sku: "SKU-2", quantity: 1000, unitPrice: 11m), await Submit(customer)
        };
        var sagas = new Dictionary<Guid, OrderView>();
        foreach (var id in ids)
            sagas[id] = await _orders.WaitUntilEnded(id);
        await _reads.CustomerOrders(customer, $"?consistentWith={ids[^1]}");
        await _reads.WaitUntilCaughtUp();

        var seen = new List<CustomerOrderView>();
        string? next = null;
        do
        {
            var (page, _) = await _reads.CustomerOrders(customer, $"?limit=2{(next is null ? "" : $"&after={next}")}");
            seen.AddRange(page.Items);
            next = page.Next;
        } while (next is not null);

        Assert.Equal(Enumerable.Reverse(ids), seen.Select(o => o.OrderId));
        Assert.All(seen, o => Assert.Equal((sagas[o.OrderId].State, sagas[o.OrderId].FailureReason, sagas[o.OrderId].Total, sagas[o.OrderId].CreatedAt),
            (o.State, o.FailureReason, o.Total, o.CreatedAt)));
        var (cancelled, _) = await _reads.CustomerOrders(customer, "?state=Cancelled");
        Assert.Equal(3, cancelled.Items.Count);
    }

    [Fact]
    public async Task Should_report_the_revenue_of_confirmed_orders_per_sku_and_count_every_order_per_minute()
    {
        var from = DateTime.UtcNow.AddHours(-1).ToString("O");
        // The orders of the specs before this one have ended, but their last events may still be on their way to
        // the read models: the counts taken as the baseline must already hold them.
        await Eventually.True(async () => (await _orders.Outbox()).Pending == 0, "the earlier orders' events relayed");
        await _reads.WaitUntilCaughtUp();
        var salesBefore = await _reads.Sales($"?from={from}&granularity=day");
        var statsBefore = await _reads.OrderStats($"?from={from}");
        var customer = NewCustomer();

        var ids = new List<Guid>
        {
            await Submit(customer, "SKU-3", 3, 10m), await Submit(customer, "SKU-3", 1, 10m), await Submit(customer, "SKU-2", 2, 7.25m),
            await Submit(customer, "SKU-3", 5, 10m, "tok_decline"), await Submit(customer, "SKU-NOPE", 1, 1m)
        };
        foreach (var id in ids)
            await _orders.WaitUntilEnded(id);
        await _reads.WaitUntilCaughtUp();

        var sales = await _reads.Sales($"?from={from}&granularity=day");
        Assert.Equal((4L, 40m), Sold(sales, "SKU-3") .Minus(Sold(salesBefore, "SKU-3")));
        Assert.Equal((2L, 14.50m), Sold(sales, "SKU-2").Minus(Sold(salesBefore, "SKU-2")));
        Assert.All(sales.Rows, r => Assert.Equal(r.Bucket.Date, r.Bucket));
        var hourly = await _reads.Sales($"?from={from}&sku=SKU-3");
        Assert.All(hourly.Rows, r => Assert.Equal(("SKU-3", 0, 0), (r.Sku, r.Bucket.Minute, r.Bucket.Second)));
        Assert.Equal(Sold(sales, "SKU-3"), (hourly.Rows.Sum(r => r.Units), hourly.Rows.Sum(r => r.Revenue)));

        var stats = await _reads.OrderStats($"?from={from}");
        Assert.Equal(5, Total(stats, m => m.Submitted) - Total(statsBefore, m => m.Submitted));
        Assert.Equal(3, Total(stats, m => m.Confirmed) - Total(statsBefore, m => m.Confirmed));
        Assert.Equal(2, Total(stats, m => m.Cancelled) - Total(statsBefore, m => m.Cancelled));
        Assert.Equal(1, Reason(stats, "payment-declined") - Reason(statsBefore, "payment-declined"));
        Assert.Equal(1, Reason(stats, "unknown-sku") - Reason(statsBefore, "unknown-sku"));
        Assert.All(stats.Minutes.Where(m => m.Confirmed + m.Cancelled > 0), m =>
        {
            Assert.NotNull(m.P50Ms);
            Assert.InRange(m.P99Ms!.Value, m.P50Ms!.Value, 60_000);
        });
    }

    static (long Units, decimal Revenue) Sold(SalesReport report, string sku) =>
        (report.Rows.Where(r => r.Sku == sku).Sum(r => r.Units), report.Rows.Where(r => r.Sku == sku).Sum(r => r.Revenue));

    static long Total(OrderStatsReport report, Func<SagaEngine.Consumers.Projections.OrderStats.OrderStatsReportMinute, long> figure) =>
        report.Minutes.Sum(figure);

    static long Reason(OrderStatsReport report, string reason) => report.Minutes.Sum(m => m.CancelledByReason.GetValueOrDefault(reason));

    [Fact]
    public async Task Should_show_each_projection_with_its_group_position_lag_and_state()
    {
        await _orders.WaitUntilEnded(await Submit(NewCustomer()));

        var projections = await _reads.WaitUntilCaughtUp();

        Assert.Equal(["customer-orders", "order-stats", "sales"], projections.Select(p => p.Name));
        Assert.All(projections, p =>
        {
            Assert.Equal(($"projection-{p.Name}", 1, "blue", "live", 0L, 0L, true), (p.Group, p.Version, p.Tables, p.State, p.LagRecords, p.LagMs, p.RunsHere));
            Assert.True(p.Position > 0, $"{p.Name} has a position");
            Assert.Equal(["orders.events", "inventory.replies", "payment.replies"], p.Topics);
        });
    }

    [Theory]
    [InlineData("/customers/not%20valid/orders", "customerId")]
    [InlineData("/customers/cust-1/orders?state=Lost", "state")]
    [InlineData("/customers/cust-1/orders?limit=0", "limit")]
    [InlineData("/customers/cust-1/orders?after=garbage", "after")]
    [InlineData("/customers/cust-1/orders?consistentWith=nope", "consistentWith")]
    [InlineData("/customers/cust-1/orders?consistentWith=6d2f1c1e-0000-0000-0000-000000000000", "consistentWith")]
    [InlineData("/reports/sales?granularity=week", "granularity")]
    [InlineData("/reports/sales?from=yesterday", "from")]
    [InlineData("/reports/sales?to=2026-13-01", "to")]
    [InlineData("/reports/sales?from=2026-11-30T12:00:00Z&to=2026-11-30T11:00:00Z", "from")]
    [InlineData("/reports/sales?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", "to")]
    [InlineData("/reports/sales?sku=sku%201", "sku")]
    [InlineData("/reports/orders?from=2026-11-30&to=2026-12-30", "to")]
    [InlineData("/reports/orders?consistentWith=x", "consistentWith")]
    public async Task Should_answer_400_problem_naming_a_bad_parameter(string url, string parameter)
    {
        var response = await _reads.Http.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([parameter], (await response.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.Keys);
    }

    [Fact]
    public async Task Should_hand_a_rebuild_each_of_an_orders_events_from_the_event_store_in_sequence_order_ready_to_apply()
    {
        var declined = await Submit(NewCustomer(), token: "tok_decline");
        var confirmed = await Submit(NewCustomer());
        await _orders.WaitUntilEnded(declined);
        await _orders.WaitUntilEnded(confirmed);
        var history = new EventStoreHistory(host.Services.GetRequiredService<IServiceScopeFactory>());
        var decoder = new EventDecoder(new SalesProjection(), host.Services.GetRequiredService<IMessageSchemas>());

        var events = new List<HistoryEvent>();
        for (IReadOnlyList<HistoryEvent> page; (page = await history.Read(events.LastOrDefault()?.Position ?? 0, 500, CancellationToken.None)).Count > 0;)
            events.AddRange(page);

        Assert.Equal(events[^1].Position, await history.LastPosition(CancellationToken.None));
        Assert.Equal(events.Select(e => e.Position).Order(), events.Select(e => e.Position));
        foreach (var (id, last) in new[] { (declined, typeof(OrderCancelled)), (confirmed, typeof(OrderConfirmed)) })
        {
            var applied = events.Where(e => e.StreamId == $"order-{id}")
                .Select(e => decoder.Decode(e.Type, e.SchemaVersion, e.Data, e.OccurredAt, $"history@{e.Position}"))
                .Where(d => d.Outcome != DecodeOutcome.NotRead).ToList();
            Assert.All(applied, d => Assert.Equal(DecodeOutcome.Event, d.Outcome));
            var sequence = applied.Select(d => d.Event!.Event.Sequence).ToList();
            Assert.Equal(Enumerable.Range(1, sequence.Count).Select(n => (int?)n), sequence);
            Assert.IsType<OrderSubmitted>(applied[0].Event!.Event.Message);
            Assert.IsType(last, applied[^1].Event!.Event.Message);
        }
    }

    [Fact]
    public async Task Should_answer_404_for_rebuilding_a_projection_that_does_not_exist()
    {
        var response = await _reads.Http.PostAsync("/projections/nope/rebuild", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Should_describe_the_read_model_routes_in_the_openapi_document()
    {
        using var doc = JsonDocument.Parse(await _reads.Http.GetStringAsync("/swagger/v1/swagger.json"));
        var paths = doc.RootElement.GetProperty("paths");

        foreach (var (path, method) in new[]
                 {
                     ("/customers/{customerId}/orders", "get"), ("/reports/sales", "get"), ("/reports/orders", "get"), ("/projections", "get"),
                     ("/projections/{name}/rebuild", "post"), ("/kafka/consumer-groups/{group}/reset", "post")
                 })
            Assert.True(paths.TryGetProperty(path, out var item) && item.TryGetProperty(method, out _), $"{method} {path} is documented");
        var parameters = paths.GetProperty("/customers/{customerId}/orders").GetProperty("get").GetProperty("parameters")
            .EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Equal(["customerId", "state", "limit", "after", "consistentWith"], parameters);
    }
}

static class Figures
{
    public static (long, decimal) Minus(this (long Units, decimal Revenue) after, (long Units, decimal Revenue) before) =>
        (after.Units - before.Units, after.Revenue - before.Revenue);
}

public class ReadModels_on_Sqlite(SqliteHost host) : ReadModels_Specs(host), IClassFixture<SqliteHost>;

public class ReadModels_on_Postgres(PostgresHost host) : ReadModels_Specs(host), IClassFixture<PostgresHost>;
