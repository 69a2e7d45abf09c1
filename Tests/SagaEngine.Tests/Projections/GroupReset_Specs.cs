using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using SagaEngine.Consumers.Payment;
using SagaEngine.Host.Api;
using SagaEngine.Host.Kafka.Monitoring;
using SagaEngine.Tests.Persistence;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Projections;

/// <summary>
/// Replay from retention for any group: the host pauses its own members of the group, moves the committed
/// offsets (to a time through offsets-for-times, which the embedded broker answers by a search over the
/// records' timestamps), resumes, and the group catches up; refused while members elsewhere are active.
/// </summary>
public abstract class GroupReset_Specs(SagaEngineFactory host)
{
    readonly OrdersClient _orders = new(host.CreateClient());
    readonly ReadModelsClient _reads = new(host.CreateClient());

    async Task<List<Guid>> SubmitAndEnd(int count)
    {
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
            ids.Add(await _orders.Submit(token: i % 4 == 3 ? "tok_decline" : "tok_ok"));
        foreach (var id in ids)
            await _orders.WaitUntilEnded(id);
        return ids;
    }

    async Task<HttpResponseMessage> Reset(string group, string to) =>
        await _reads.Http.PostAsJsonAsync($"/kafka/consumer-groups/{group}/reset", new { to });

    Task<ConsumerGroupView> Group(string group) =>
        _reads.Http.GetFromJsonAsync<ConsumerGroupsView>("/kafka/consumer-groups").ContinueWith(t => t.Result!.Groups.First(g => g.Group == group));

    [Fact]
    public async Task Should_replay_the_saga_group_from_a_time_and_catch_up_without_changing_any_order()
    {
        var earlier = await SubmitAndEnd(6);
        // Every record of the earlier orders consumed, so produced: they all lie before the time.
        await Eventually.True(async () => (await Group("order-saga")).Lag == 0, "the saga's group caught up");
        await Task.Delay(50);
        var time = DateTime.UtcNow;
        await Task.Delay(50);
        var later = await SubmitAndEnd(6);
        var states = new Dictionary<Guid, string>();
        foreach (var id in earlier.Concat(later))
            states[id] = (await _orders.Find(id))!.State;
        await Eventually.True(async () => (await Group("order-saga")).Lag == 0, "the saga's group caught up");

        var response = await Reset("order-saga", time.ToString("O"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reset = (await response.Content.ReadFromJsonAsync<ConsumerGroupResetView>())!;
        Assert.Equal(("order-saga", time.ToString("O")), (reset.Group, reset.To));
        Assert.Equal(3 * 12, reset.Partitions.Count);
        Assert.All(reset.Partitions, p => Assert.True(p.NewOffset <= (p.OldOffset ?? 0), $"{p.Topic}[{p.Partition}] moved forward"));
        // Back past the later orders' records, not to the beginning: the earlier orders' records stay behind.
        var replayed = reset.Partitions.Sum(p => (p.OldOffset ?? 0) - p.NewOffset);
        Assert.InRange(replayed, 6 * 3, 6 * 5);
        Assert.True(reset.Partitions.Sum(p => p.NewOffset) >= 6 * 3, "the records before the time are not read again");

        await Eventually.True(async () => (await Group("order-saga")).Lag == 0, "the saga's group caught up again");
        foreach (var (id, state) in states)
            Assert.Equal(state, (await _orders.Find(id))!.State);
        var charges = await host.Query(db => db.Set<LedgerEntry>().AsNoTracking()
            .Where(e => e.Kind == LedgerEntryKind.Charge).GroupBy(e => e.OrderId).Select(g => g.Count()).ToListAsync());
        Assert.All(charges, c => Assert.Equal(1, c));
    }

    [Fact]
    public async Task Should_reset_a_projection_group_to_earliest_read_everything_again_and_apply_nothing_twice()
    {
        await SubmitAndEnd(4);
        await _reads.WaitUntilCaughtUp();
        var since = DateTime.UtcNow.AddHours(-1).ToString("O");
        var sales = await _reads.Sales($"?from={since}");
        var replayedBefore = (await _reads.Projection("sales")).ThisHost!.Replayed;

        var response = await Reset("projection-sales", "earliest");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reset = (await response.Content.ReadFromJsonAsync<ConsumerGroupResetView>())!;
        Assert.All(reset.Partitions, p => Assert.Equal(("sales", 0L), (p.Member, p.NewOffset)));
        var moved = reset.Partitions.Sum(p => p.OldOffset ?? 0);
        Assert.True(moved > 0);
        var caughtUp = await Eventually.Get(() => _reads.Projection("sales"), p => p.LagRecords == 0 && p.ThisHost!.Replayed >= replayedBefore + moved,
            "the projection read everything again");
        Assert.Equal(replayedBefore + moved, caughtUp.ThisHost!.Replayed);
        Assert.Equal(JsonContent(sales), JsonContent(await _reads.Sales($"?from={since}")));
        await Eventually.True(async () => (await Group("projection-sales")).Lag == 0, "Kafka's committed offsets follow");
    }

    [Fact]
    public async Task Should_answer_400_for_a_target_that_is_not_one_and_404_for_an_unknown_group()
    {
        var bad = await Reset("order-saga", "yesterday");
        var none = await _reads.Http.PostAsync("/kafka/consumer-groups/order-saga/reset", null);
        var unknown = await Reset("nobody", "earliest");

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(["to"], (await bad.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.Keys);
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Should_refuse_with_409_while_members_of_the_group_run_in_another_host()
    {
        var bootstrap = (await _reads.Http.GetFromJsonAsync<KafkaOverview>("/kafka"))!.BootstrapServers;
        await using (var other = new SagaEngineFactory(host.Database)
                         .With("Kafka:BootstrapServers", bootstrap).With("Kafka:FetchWaitMaxMs", "10").With("Kafka:GroupProtocol", "Consumer"))
        {
            var otherHttp = other.CreateClient();
            await Eventually.True(async () => (await otherHttp.GetFromJsonAsync<ConsumerGroupsView>("/kafka/consumer-groups"))!.Groups
                .First(g => g.Group == "order-saga").Members.Any(m => m.Assignment.Count > 0), "the other host owns some of the saga's partitions");

            var response = await Reset("order-saga", "latest");

            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Contains("not owned by a member in this host", (await response.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail);
        }

        await Eventually.True(async () => (await Reset("order-saga", "latest")).StatusCode == HttpStatusCode.OK,
            "the reset allowed once this host's members own every partition again", seconds: 60);
    }

    static string JsonContent(SalesReport report) => System.Text.Json.JsonSerializer.Serialize(report.Rows);
}

public class GroupReset_on_Sqlite(SqliteHost host) : GroupReset_Specs(host), IClassFixture<SqliteHost>;

public class GroupReset_on_Postgres(PostgresHost host) : GroupReset_Specs(host), IClassFixture<PostgresHost>;
