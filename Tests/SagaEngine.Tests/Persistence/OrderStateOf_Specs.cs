using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using SagaEngine.Contracts;
using SagaEngine.Host.Api;
using SagaEngine.Host.Persistence;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Persistence;

/// <summary>
/// A long poll's first look reads only the order's state, from the saga's row or, before the saga has started,
/// from the intake's, in one statement that each database must translate; the saga's row wins when both exist.
/// </summary>
public class OrderStateOf_Specs
{
    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Should_read_the_saga_s_state_else_the_intake_s_else_nothing(DatabaseProvider provider)
    {
        await using var host = new SagaEngineFactory(provider);
        var intakeOnly = Guid.NewGuid();
        var both = Guid.NewGuid();
        await AddIntake(host, intakeOnly);
        await AddIntake(host, both);
        await host.Seed(both, "AwaitingPayment", DateTime.UtcNow);

        Assert.Equal(OrdersApi.SubmittedState, await StateOf(host, intakeOnly));
        Assert.Equal("AwaitingPayment", await StateOf(host, both));
        Assert.Null(await StateOf(host, Guid.NewGuid()));
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Should_wait_for_an_order_whose_saga_has_not_started_and_answer_with_it_at_the_timeout(DatabaseProvider provider)
    {
        await using var host = new SagaEngineFactory(provider);
        var client = host.CreateClient();
        var id = Guid.NewGuid();
        await AddIntake(host, id);
        var clock = Stopwatch.StartNew();

        var response = await client.GetAsync($"/orders/{id}?waitForTerminal=1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var order = (await response.Content.ReadFromJsonAsync<OrderView>())!;
        Assert.Equal(OrdersApi.SubmittedState, order.State);
        Assert.Equal("cust-intake", order.CustomerId);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), $"It answered after {clock.Elapsed}, before the wait was over.");
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Should_answer_at_once_with_the_whole_order_when_it_has_ended_already(DatabaseProvider provider)
    {
        await using var host = new SagaEngineFactory(provider);
        var client = host.CreateClient();
        var id = Guid.NewGuid();
        await host.Seed(id, "Confirmed", DateTime.UtcNow);
        var clock = Stopwatch.StartNew();

        var order = (await client.GetFromJsonAsync<OrderView>($"/orders/{id}?waitForTerminal=10"))!;

        Assert.Equal("Confirmed", order.State);
        Assert.Equal("SKU-1", Assert.Single(order.Items).Sku);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"It waited {clock.Elapsed} for an order that had ended.");
    }

    static Task AddIntake(SagaEngineFactory host, Guid orderId) =>
        host.Query(db =>
        {
            db.Add(OrderIntake.From(new OrderSubmitted(orderId, "cust-intake", "EUR", [new OrderLine("SKU-1", 1, 5m)], 5m, "tok_ok",
                DateTime.UtcNow)));
            return db.SaveChangesAsync();
        });

    static async Task<string?> StateOf(SagaEngineFactory host, Guid orderId)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<OrderQueries>().StateOf(orderId);
    }
}
