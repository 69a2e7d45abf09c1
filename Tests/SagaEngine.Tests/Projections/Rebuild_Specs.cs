using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SagaEngine.Consumers.Projections.Sales;
using SagaEngine.Contracts;
using SagaEngine.Host.Api;
using SagaEngine.Host.Kafka.Monitoring;
using SagaEngine.Host.Projections.Monitoring;
using SagaEngine.Host.Persistence;
using SagaEngine.Host.Projections.Rebuild;
using SagaEngine.Host.Projections.Storage;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Projections;

/// <summary>A host whose rebuilds read its event store (which a spec can make fail partway), in small batches so that they take a while.</summary>
public abstract class RebuildHost : SagaEngineFactory
{
    protected RebuildHost(DatabaseProvider provider) : base(provider)
    {
        With("Projections:RebuildBatchSize", "200");
        With("Projections:RetiredVersionGrace", "00:00:01");
        WithServices(s => s.AddSingleton<IEventHistory>(sp => History.Over(sp)));
    }

    public FaultyStoreHistory History { get; } = new();
}

public sealed class RebuildOnSqlite() : RebuildHost(DatabaseProvider.Sqlite);

public sealed class RebuildOnPostgres() : RebuildHost(DatabaseProvider.Postgres);

/// <summary>
/// Rebuild without downtime: a new version built from the complete history (the event store's global feed)
/// into the other tables, caught up with the live topics and swapped in; the old version answers every query
/// until then, and keeps serving when a rebuild fails.
/// </summary>
public abstract class Rebuild_Specs(RebuildHost host)
{
    static readonly DateTime Since = DateTime.UtcNow.AddDays(-2);
    static readonly DateTime Recent = DateTime.UtcNow.AddHours(-1);
    readonly OrdersClient _orders = new(host.CreateClient());
    readonly ReadModelsClient _reads = new(host.CreateClient());

    async Task<Guid> Submit(string customer, string sku, int quantity, string token = "tok_ok")
    {
        var json = JsonSerializer.Serialize(new
        {
            customerId = customer, currency = "EUR", items = new[] { new { sku, quantity, unitPrice = 2.5m } }, paymentToken = token
        });
        var response = await _orders.Http.PostAsync("/orders", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<OrderAccepted>())!.OrderId;
    }

    async Task<List<Guid>> SubmitAndEnd(string customer, int count)
    {
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
            ids.Add(await Submit(customer, i % 3 == 0 ? "SKU-2" : "SKU-3", 1 + i % 4, i % 5 == 4 ? "tok_decline" : "tok_ok"));
        foreach (var id in ids)
            await _orders.WaitUntilEnded(id);
        await _reads.WaitUntilCaughtUp();
        return ids;
    }

    /// <summary>
    /// What the three read models answer for one customer, for sales since two days ago, and for the order
    /// statistics of the last hour (the older orders a spec adds to the history count there only once a rebuild read them).
    /// </summary>
    async Task<string> Answers(string customer) => JsonSerializer.Serialize(new
    {
        orders = (await _reads.CustomerOrders(customer, "?limit=500")).Page,
        sales = (await _reads.Sales($"?from={Since:O}&granularity=day")).Rows,
        stats = (await _reads.OrderStats($"?from={Recent:O}")).Minutes
    });

    [Fact]
    public async Task Should_rebuild_each_projection_from_the_history_into_rows_equal_to_the_live_ones_and_swap_it_in()
    {
        var customer = $"rb-{Guid.NewGuid():N}"[..16];
        await SubmitAndEnd(customer, 20);
        var stored = await host.History.Count();
        var live = await Answers(customer);
        var before = (await _reads.Projections()).ToDictionary(p => p.Name);

        foreach (var name in new[] { "customer-orders", "sales", "order-stats" })
        {
            var started = await _reads.Rebuild(name);
            Assert.Equal("event-store", started.Source);
            var rebuilt = await _reads.WaitForRebuildOf(name, started.Version);

            Assert.Equal(("completed", null, started.Version), (rebuilt.LastRebuild!.Outcome, rebuilt.LastRebuild.Error, rebuilt.Version));
            Assert.NotEqual(before[name].Tables, rebuilt.Tables);
            Assert.True(rebuilt.LastRebuild.Events >= stored, $"{name} read the whole history: {rebuilt.LastRebuild.Events} of {stored} events");
        }

        await _reads.WaitUntilCaughtUp();
        Assert.Equal(live, await Answers(customer));
        // The swapped-out version's tables are emptied once queries have moved on.
        var retired = ProjectionSlot.Of(before["sales"].Version);
        await Eventually.True(async () => !await host.Query(db => db.Rows<SalesBucket>(retired, SalesTables.Table).AnyAsync()),
            "the old sales tables emptied");
    }

    [Fact]
    public async Task Should_keep_answering_from_the_old_version_while_it_rebuilds_without_a_gap_and_catch_up_with_new_orders()
    {
        var customer = $"rb-{Guid.NewGuid():N}"[..16];
        await SubmitAndEnd(customer, 6);
        // Besides what the topics hold, the store has orders older than Kafka keeps, sold under a SKU of their own.
        await host.History.Append(Enumerable.Range(0, 1500).Select(i => OldOrder(i, Since.AddHours(1).AddSeconds(i))));
        var baseline = Units(await _reads.Sales($"?from={Since:O}&granularity=day&sku=SKU-3"));

        var answers = new ConcurrentQueue<(HttpStatusCode Status, long Units)>();
        using var stop = new CancellationTokenSource();
        var reader = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var response = await _reads.Http.GetAsync($"/reports/sales?from={Since:O}&granularity=day&sku=SKU-3");
                answers.Enqueue((response.StatusCode,
                    response.IsSuccessStatusCode ? Units((await response.Content.ReadFromJsonAsync<SalesReport>())!) : -1));
                await Task.Delay(10);
            }
        });

        var started = await _reads.Rebuild("sales");
        var second = await _reads.Http.PostAsync("/projections/sales/rebuild", null);
        var during = new List<Guid>();
        for (var i = 0; i < 8; i++)
            during.Add(await Submit(customer, "SKU-3", 2));
        var rebuilt = await _reads.WaitForRebuildOf("sales", started.Version, seconds: 120);
        foreach (var id in during)
            await _orders.WaitUntilEnded(id);
        await _reads.WaitUntilCaughtUp();
        await stop.CancelAsync();
        await reader;

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("completed", rebuilt.LastRebuild!.Outcome);
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        var units = answers.Select(a => a.Units).ToList();
        Assert.True(units.Count > 5, $"{units.Count} answers during the rebuild");
        Assert.All(units, u => Assert.True(u >= baseline, $"an answer of {u} units, fewer than the {baseline} before the rebuild"));
        Assert.All(units.Zip(units.Skip(1)), pair => Assert.True(pair.Second >= pair.First, $"an answer fell from {pair.First} to {pair.Second} units"));
        Assert.Equal(baseline + 8 * 2, Units(await _reads.Sales($"?from={Since:O}&granularity=day&sku=SKU-3")));
        Assert.Equal(1500 * 3, Units(await _reads.Sales($"?from={Since:O}&granularity=day&sku=SKU-OLD")));
    }

    [Fact]
    public async Task Should_leave_the_old_version_serving_when_a_rebuild_fails_and_rebuild_on_the_next_request()
    {
        var customer = $"rb-{Guid.NewGuid():N}"[..16];
        await SubmitAndEnd(customer, 8);
        var live = await Answers(customer);
        var version = (await _reads.Projection("order-stats")).Version;

        ProjectionView failed;
        host.History.FailAfter = (await host.History.LastPosition(CancellationToken.None))!.Value / 2;
        try
        {
            var failing = await _reads.Rebuild("order-stats");
            failed = await _reads.WaitForRebuildOf("order-stats", failing.Version);
        }
        finally
        {
            host.History.FailAfter = null;
        }

        Assert.Equal(("failed", version), (failed.LastRebuild!.Outcome, failed.Version));
        Assert.Contains("did not answer", failed.LastRebuild.Error);
        Assert.Equal(live, await Answers(customer));

        var retried = await _reads.Rebuild("order-stats");
        Assert.Equal("completed", (await _reads.WaitForRebuildOf("order-stats", retried.Version)).LastRebuild!.Outcome);
        await _reads.WaitUntilCaughtUp();
        Assert.Equal(live, await Answers(customer));
    }

    static long Units(SalesReport report) => report.Rows.Sum(r => r.Units);

    /// <summary>A confirmed order of 3 SKU-OLD as the event store keeps it, with no record left on Kafka.</summary>
    static (Guid, IReadOnlyList<(object, DateTime)>) OldOrder(int i, DateTime at)
    {
        var id = Guid.NewGuid();
        OrderLine[] lines = [new("SKU-OLD", 3, 1m)];
        return (id, [
            (new OrderSubmitted(id, $"old-{i}", "EUR", lines, 3m, "tok_ok", at), at),
            (new InventoryReserved(id, 2), at.AddMilliseconds(1)),
            (new PaymentCharged(id, 3m, "EUR", 3), at.AddMilliseconds(2)),
            (new OrderConfirmed(id, 3m, "EUR", $"old-{i}", lines, 4), at.AddMilliseconds(3))
        ]);
    }
}

public class Rebuild_on_Sqlite(RebuildOnSqlite host) : Rebuild_Specs(host), IClassFixture<RebuildOnSqlite>;

public class Rebuild_on_Postgres(RebuildOnPostgres host) : Rebuild_Specs(host), IClassFixture<RebuildOnPostgres>;
