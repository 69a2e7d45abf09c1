using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using SagaEngine.Host.Api;
using SagaEngine.Host.Persistence;
using SagaEngine.Sagas;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Persistence;

/// <summary>
/// A history step gained who acted and their note. Rows written before (their JSON has neither key)
/// must still read, with both empty, beside steps that have them.
/// </summary>
public class OrderHistoryRows_Specs
{
    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Should_read_history_steps_written_before_operators_could_act(DatabaseProvider provider)
    {
        await using var host = new SagaEngineFactory(provider);
        var client = host.CreateClient();
        var id = Guid.NewGuid();
        await host.Seed(id, "Cancelled", DateTime.UtcNow);
        await host.Query(async db =>
        {
            var order = await db.Set<OrderState>().SingleAsync(o => o.CorrelationId == id);
            order.History.Add(new OrderTransition { Event = "OrderSubmitted", From = "Initial", To = "AwaitingInventory", At = DateTime.UtcNow });
            order.History.Add(new OrderTransition
            {
                Event = "ResolveOrder", From = "CompensationFailed", To = "Cancelled", At = DateTime.UtcNow, Operator = "anna", Note = "By hand."
            });
            return await db.SaveChangesAsync();
        });

        // The first step as an earlier release wrote it: no Operator or Note key at all.
        var written = await host.Query(db => db.Database
            .SqlQueryRaw<string>("""SELECT CAST("History" AS TEXT) AS "Value" FROM order_sagas WHERE "CorrelationId" = {0}""", id).SingleAsync());
        var steps = JsonNode.Parse(written)!.AsArray();
        var first = steps[0]!.AsObject();
        Assert.True(first.Remove("Operator") | first.Remove("Note"), $"The new keys were not where expected: {written}");
        var update = provider == DatabaseProvider.Postgres
            ? """UPDATE order_sagas SET "History" = CAST({0} AS jsonb) WHERE "CorrelationId" = {1}"""
            : """UPDATE order_sagas SET "History" = {0} WHERE "CorrelationId" = {1}""";
        await host.Query(db => db.Database.ExecuteSqlRawAsync(update, steps.ToJsonString(), id));

        var order = (await client.GetFromJsonAsync<OrderView>($"/orders/{id}"))!;
        Assert.Equal([("OrderSubmitted", null, null), ("ResolveOrder", "anna", "By hand.")],
            order.History.Select(h => (h.Event, h.Operator, h.Note)));
    }
}
