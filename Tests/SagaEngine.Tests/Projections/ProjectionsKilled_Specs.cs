using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SagaEngine.Host.Api;
using SagaEngine.Host.Persistence;
using SagaEngine.Tests.Kafka.Support;
using SagaEngine.Tests.Persistence;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Projections;

/// <summary>
/// Host processes SIGKILLed under the projections: between committing a batch's rows and Kafka's offset
/// commit (the next host neither skips nor applies anything twice), and in the middle of a rebuild (the
/// old version keeps serving, unchanged, and the next rebuild takes over).
/// </summary>
public class ProjectionsKilled_Specs
{
    static readonly string[] Projections = ["customer-orders", "sales", "order-stats"];

    static async Task<Guid> Submit(HttpClient http, string customer, string token = "tok_ok", string sku = "SKU-1")
    {
        var json = JsonSerializer.Serialize(new
        {
            customerId = customer, currency = "EUR", items = new[] { new { sku, quantity = 2, unitPrice = 3m } }, paymentToken = token
        });
        var response = await http.PostAsync("/orders", new StringContent(json, Encoding.UTF8, "application/json"));
        return (await response.Content.ReadFromJsonAsync<OrderAccepted>())!.OrderId;
    }

    static async Task SubmitAndEnd(HttpClient http, string customer, int count, Func<int, string> token)
    {
        var ids = new Guid[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (i, _) => ids[i] = await Submit(http, customer, token(i)));
        var orders = new OrdersClient(http);
        foreach (var id in ids)
            await orders.WaitUntilEnded(id, seconds: 90);
        await new ReadModelsClient(http).WaitUntilCaughtUp(seconds: 90);
    }

    static Dictionary<string, string?> Settings(TestDatabase database, KafkaBrokerProcess broker, params (string, string)[] more)
    {
        var settings = new Dictionary<string, string?>(database.Settings);
        foreach (var (key, value) in broker.HostSettings.Concat(more))
            settings[key] = value;
        return settings;
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Should_neither_skip_nor_apply_twice_after_a_kill_between_the_rows_commit_and_the_kafka_offset_commit(DatabaseProvider provider)
    {
        await using var database = new TestDatabase(provider);
        await using var broker = await KafkaBrokerProcess.Start();
        var customer = $"kill-{Guid.NewGuid():N}"[..16];

        // Offsets are committed to Kafka an hour after they are stored: every batch applied is in the window.
        await using (var first = await HostProcess.Start(Settings(database, broker, ("Kafka:CommitIntervalMs", "3600000"))))
        {
            await SubmitAndEnd(first.Client, customer, 12, i => i % 3 == 2 ? "tok_decline" : "tok_ok");
            var reads = new ReadModelsClient(first.Client);
            foreach (var projection in await reads.Projections())
            {
                var committed = await PlainKafka.CommittedSum(broker.BootstrapServers, projection.Group, projection.Topics);
                Assert.True(committed < projection.Position, $"{projection.Name}: Kafka has {committed} committed, the database {projection.Position}");
            }
            await first.Kill();
        }

        await using var second = await HostProcess.Start(Settings(database, broker));
        await SubmitAndEnd(second.Client, customer, 6, _ => "tok_ok");
        var after = new ReadModelsClient(second.Client);

        foreach (var projection in await after.Projections())
            // Only the 6 new orders' 4 events each: nothing of before was read again.
            Assert.Equal((24L, 0L, 0L), (projection.ThisHost!.Applied, projection.ThisHost.Duplicates, projection.ThisHost.Replayed));
        var (orders, _) = await after.CustomerOrders(customer, "?limit=500");
        Assert.Equal(18, orders.Items.Count);
        Assert.Equal(14, orders.Items.Count(o => o.State == "Confirmed"));
        var since = DateTime.UtcNow.AddHours(-1).ToString("O");
        var stats = await after.OrderStats($"?from={since}");
        Assert.Equal((18L, 14L, 4L), (stats.Minutes.Sum(m => m.Submitted), stats.Minutes.Sum(m => m.Confirmed), stats.Minutes.Sum(m => m.Cancelled)));
        var sales = await after.Sales($"?from={since}&sku=SKU-1");
        Assert.Equal((28L, 84m), (sales.Rows.Sum(r => r.Units), sales.Rows.Sum(r => r.Revenue)));
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Should_leave_the_old_version_serving_unchanged_when_the_host_dies_mid_rebuild(DatabaseProvider provider)
    {
        await using var database = new TestDatabase(provider);
        await using var broker = await KafkaBrokerProcess.Start();
        var customer = $"crash-{Guid.NewGuid():N}"[..16];
        string answers;
        int version;

        await using (var first = await HostProcess.Start(Settings(database, broker, ("Projections:RebuildBatchSize", "3"))))
        {
            await SubmitAndEnd(first.Client, customer, 30, i => i % 4 == 3 ? "tok_decline" : "tok_ok");
            var reads = new ReadModelsClient(first.Client);
            answers = await Answers(reads, customer);
            version = (await reads.Projection("sales")).Version;

            var started = await reads.Rebuild("sales");
            Assert.Equal("event-store", started.Source);
            await Eventually.True(async () => (await reads.Projection("sales")).Rebuild is { Events: > 0 }, "the rebuild under way");
            await first.Kill();
        }

        await using var second = await HostProcess.Start(Settings(database, broker));
        var after = new ReadModelsClient(second.Client);
        var sales = await after.Projection("sales");
        Assert.Equal(version, sales.Version);
        Assert.Equal(answers, await Answers(after, customer));
        sales = await Eventually.Get(() => after.Projection("sales"), p => p.Rebuild is { Stale: true } || p.LastRebuild?.Outcome == "interrupted",
            "the dead rebuild seen as such", seconds: 30);
        Assert.Equal("live", sales.State);

        var again = await after.Rebuild("sales");
        var rebuilt = await after.WaitForRebuildOf("sales", again.Version, seconds: 90);
        Assert.Equal("completed", rebuilt.LastRebuild!.Outcome);
        Assert.Equal(answers, await Answers(after, customer));
    }

    static async Task<string> Answers(ReadModelsClient reads, string customer)
    {
        var since = DateTime.UtcNow.Date.AddDays(-1).ToString("O");
        return JsonSerializer.Serialize(new
        {
            orders = (await reads.CustomerOrders(customer, "?limit=500")).Page,
            sales = (await reads.Sales($"?from={since}&to={DateTime.UtcNow.Date.AddDays(2):O}&granularity=day")).Rows,
            stats = (await reads.OrderStats($"?from={since}&to={DateTime.UtcNow.Date.AddDays(2):O}")).Minutes
        });
    }
}
