using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SagaEngine.Host.Api;
using SagaEngine.Sagas;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Api;

public class WaitForTerminalHost : SagaEngineFactory;

/// <summary>
/// <c>GET /orders/{id}?waitForTerminal=s</c>: one request instead of polling, answered when the order ends
/// or when the wait is over, whichever comes first; the wait is bounded.
/// </summary>
public class WaitForTerminal_Specs(WaitForTerminalHost host) : IClassFixture<WaitForTerminalHost>
{
    readonly OrdersClient _client = new(host.CreateClient());

    [Fact]
    public async Task Should_answer_as_soon_as_the_order_has_ended()
    {
        var id = await _client.Submit("SKU-1", 1);
        var clock = Stopwatch.StartNew();

        var order = await Get(id, "10");

        Assert.Equal("Confirmed", order.State);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"It waited {clock.Elapsed} although the order ended.");
    }

    [Fact]
    public async Task Should_answer_at_the_timeout_with_the_orders_current_state()
    {
        // The payment provider never answers this token; the saga waits for its 30 s payment timeout.
        var id = await _client.Submit("SKU-2", 1, token: "tok_timeout");
        await Eventually.True(async () => (await _client.Find(id))?.State == "AwaitingPayment", "the order waits for its payment");
        var clock = Stopwatch.StartNew();

        var order = await Get(id, "1.5");

        Assert.Equal("AwaitingPayment", order.State);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.4), $"It answered after {clock.Elapsed}, before the wait was over.");
    }

    [Fact]
    public async Task Should_answer_when_the_order_ends_elsewhere_than_in_this_process()
    {
        var id = await _client.Submit("SKU-3", 1, token: "tok_timeout");
        await Eventually.True(async () => (await _client.Find(id))?.State == "AwaitingPayment", "the order waits for its payment");
        var clock = Stopwatch.StartNew();

        var waiting = Get(id, "20");
        await Task.Delay(500);
        // What another host's saga would commit: this process's saga never sees the transition.
        await host.Query(db => db.Set<OrderState>().Where(o => o.CorrelationId == id)
            .ExecuteUpdateAsync(u => u.SetProperty(o => o.CurrentState, "Cancelled")));
        var order = await waiting;

        Assert.Equal("Cancelled", order.State);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"It waited {clock.Elapsed} although the order ended.");
    }

    [Fact]
    public async Task Should_answer_many_waits_at_once_each_at_its_end()
    {
        var ids = new List<Guid>();
        for (var i = 0; i < 20; i++)
            ids.Add(await _client.Submit("SKU-1", 1));

        var orders = await Task.WhenAll(ids.Select(id => Get(id, "30")));

        Assert.All(orders, o => Assert.Equal("Confirmed", o.State));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("30.5")]
    [InlineData("3600")]
    [InlineData("soon")]
    public async Task Should_refuse_a_wait_that_is_not_more_than_0_and_at_most_30_seconds(string seconds)
    {
        var id = await _client.Submit("SKU-1", 1);

        var response = await _client.Http.GetAsync($"/orders/{id}?waitForTerminal={seconds}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ValidationProblemDetails>();
        Assert.Contains("waitForTerminal", problem!.Errors.Keys);
    }

    [Fact]
    public async Task Should_answer_a_watch_when_a_saga_of_this_process_ends_the_order_without_asking_the_database()
    {
        var waiters = host.Services.GetRequiredService<OrderOutcomeWaiters>();
        // No such order in the database: only the saga's own signal can end this wait.
        var id = Guid.NewGuid();
        using var watch = waiters.Watch(id);
        using var other = waiters.Watch(Guid.NewGuid());

        waiters.Ended(id);

        Assert.True(await watch.Ended(TimeSpan.FromSeconds(5), CancellationToken.None));
        Assert.False(await other.Ended(OrderOutcomeWaiters.RecheckInterval * 2, CancellationToken.None));
    }

    [Fact]
    public async Task Should_not_wait_for_an_order_that_does_not_exist()
    {
        var clock = Stopwatch.StartNew();

        var response = await _client.Http.GetAsync($"/orders/{Guid.NewGuid()}?waitForTerminal=10");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"It waited {clock.Elapsed} for an order that does not exist.");
    }

    async Task<OrderView> Get(Guid id, string seconds)
    {
        var response = await _client.Http.GetAsync($"/orders/{id}?waitForTerminal={seconds}");
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<OrderView>())!;
    }
}
