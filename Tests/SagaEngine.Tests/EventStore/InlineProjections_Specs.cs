using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SagaEngine.Consumers.Inventory;
using SagaEngine.Consumers.Payment;
using SagaEngine.Host.EventStore.Projections;
using SagaEngine.Host.Persistence;
using SagaEngine.Tests.Persistence;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.EventStore;

/// <summary>
/// The stock and account rows are inline projections of their streams: after any flow a check finds
/// no row that differs from its stream's fold; a damaged or missing row is reported, and a rebuild
/// writes exactly the rows the flow had left.
/// </summary>
public class InlineProjections_Specs
{
    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Should_agree_with_their_streams_after_a_flow_and_be_rebuilt_as_they_were(DatabaseProvider provider)
    {
        await using var host = new SagaEngineFactory(provider).OnInMemoryBus()
            .With("Saga:PaymentTimeout", "00:00:01").With("Payment:SlowDelay", "00:00:02").With("EventStore:SnapshotEvery", "3");
        var http = host.CreateClient();
        var api = new OrdersClient(http);
        await RunFlow(http, api);

        Assert.Empty((await Check(http, "stock")).Differences);
        Assert.Empty((await Check(http, "accounts")).Differences);
        // Appended in the services' own transactions, snapshots follow once those commit.
        await Eventually.True(async () => (await host.Snapshots("sku-SKU-2")).Select(s => s.Version).SequenceEqual([3L, 6L]),
            "snapshots of sku-SKU-2 at versions 3 and 6");
        var stock = await StockRows(host);
        var accounts = await AccountRows(host);

        await host.Query(db => db.Database.ExecuteSqlRawAsync(
            "UPDATE inventory_stock SET \"Available\" = \"Available\" + 7 WHERE \"Sku\" = 'SKU-1'"));
        await host.Query(db => db.Database.ExecuteSqlRawAsync("DELETE FROM inventory_stock WHERE \"Sku\" = 'SKU-NEW'"));
        await host.Query(db => db.Database.ExecuteSqlRawAsync(
            "UPDATE payment_account_balances SET \"Charged\" = 0 WHERE \"CustomerId\" = 'cust-a'"));

        var stockCheck = await Check(http, "stock");
        Assert.Equal(["sku-SKU-1", "sku-SKU-NEW"], stockCheck.Differences.Select(d => d.StreamId));
        Assert.Null(stockCheck.Differences[1].Live);
        Assert.Equal(["account-cust-a"], (await Check(http, "accounts")).Differences.Select(d => d.StreamId));

        var rebuilt = await Rebuild(http, "stock");
        Assert.Equal(2, rebuilt.RowsWritten);
        Assert.Equal(1, (await Rebuild(http, "accounts")).RowsWritten);

        Assert.Equal(stock, await StockRows(host));
        Assert.Equal(accounts, await AccountRows(host));
        Assert.Empty((await Check(http, "stock")).Differences);
        Assert.Empty((await Check(http, "accounts")).Differences);
    }

    [Fact]
    public async Task Should_answer_404_for_an_unknown_projection()
    {
        await using var host = new SagaEngineFactory().OnInMemoryBus();
        var http = host.CreateClient();

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/projections/inline/nope/check")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync("/projections/inline/nope/rebuild", null)).StatusCode);
    }

    /// <summary>Orders of every kind for three customers, a late charge refunded, and receipts for a known and a new SKU.</summary>
    static async Task RunFlow(HttpClient http, OrdersClient api)
    {
        var orders = new List<Guid>
        {
            await Submit(api, "cust-a", "tok_ok", ("SKU-1", 2, 12.50m)),
            await Submit(api, "cust-a", "tok_ok", ("SKU-1", 1, 3.10m), ("SKU-2", 4, 1.25m)),
            await Submit(api, "cust-b", "tok_decline", ("SKU-2", 1, 9.99m)),
            await Submit(api, "cust-b", "tok_ok", ("SKU-LOW", 6, 1m)),
            await Submit(api, "cust-c", "tok_ok", ("SKU-1", 1, 1m), ("SKU-NOPE", 1, 1m)),
            await Submit(api, "cust-c", "tok_ok", ("SKU-3", 3, 7m))
        };
        var late = await Submit(api, "cust-c", "tok_slow", ("SKU-2", 2, 5m));
        foreach (var id in orders.Append(late))
            await api.WaitUntilEnded(id);
        await Eventually.True(async () => (await api.Payments(late)).Any(e => e.Kind == "Refund"), "the late charge is refunded");

        Assert.Equal(HttpStatusCode.OK, (await http.PostAsJsonAsync("/inventory/SKU-2/receipts", new { quantity = 10 })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsJsonAsync("/inventory/SKU-NEW/receipts", new { quantity = 3 })).StatusCode);
    }

    static async Task<Guid> Submit(OrdersClient api, string customer, string token, params (string Sku, int Quantity, decimal UnitPrice)[] lines)
    {
        var response = await api.Http.PostAsync("/orders", new StringContent(JsonSerializer.Serialize(new
        {
            customerId = customer, currency = "EUR", paymentToken = token,
            items = lines.Select(l => new { sku = l.Sku, quantity = l.Quantity, unitPrice = l.UnitPrice })
        }), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<SagaEngine.Host.Api.OrderAccepted>())!.OrderId;
    }

    static async Task<CheckReport> Check(HttpClient http, string name) =>
        (await http.GetFromJsonAsync<CheckReport>($"/projections/inline/{name}/check"))!;

    static async Task<RebuildReport> Rebuild(HttpClient http, string name)
    {
        var response = await http.PostAsync($"/projections/inline/{name}/rebuild", null);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<RebuildReport>())!;
    }

    static Task<List<(string, int, int, int)>> StockRows(SagaEngineFactory host) =>
        host.Query(async db => (await db.Set<StockItem>().AsNoTracking().ToListAsync())
            .Select(s => (s.Sku, s.Available, s.Reserved, s.Version)).OrderBy(s => s.Sku, StringComparer.Ordinal).ToList());

    static Task<List<string>> AccountRows(SagaEngineFactory host) =>
        host.Query(async db =>
        {
            var accounts = (await db.Set<PaymentAccount>().AsNoTracking().ToListAsync()).Select(a => $"{a.CustomerId}@{a.Version}");
            var balances = (await db.Set<PaymentAccountBalance>().AsNoTracking().ToListAsync())
                .Select(b => $"{b.CustomerId}:{b.Currency}:{b.Charged:0.00}:{b.Refunded:0.00}");
            return accounts.Concat(balances).OrderBy(r => r, StringComparer.Ordinal).ToList();
        });
}
