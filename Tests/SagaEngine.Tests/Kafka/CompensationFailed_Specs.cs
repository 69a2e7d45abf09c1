using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using SagaEngine.Contracts;
using SagaEngine.Host.Api;
using SagaEngine.Host.Kafka.Consuming;
using SagaEngine.Host.Persistence;
using SagaEngine.Tests.Persistence;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Kafka;

/// <summary>
/// The real host on Kafka with its inventory endpoint stopped, as if the inventory service were down: an
/// order gives up on inventory, cannot get its release confirmed either, and waits in CompensationFailed
/// for an operator, who retries or resolves it over HTTP; once the service is back, the release it
/// asked for goes through.
/// </summary>
public class CompensationFailed_Specs
{
    const string OperatorKey = "ops-key-0123456789abcdef";

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Should_wait_for_an_operator_who_retries_or_resolves_each_order_by_name(DatabaseProvider provider)
    {
        await using var host = new SagaEngineFactory(provider)
            .With("Saga:InventoryTimeout", "00:00:01")
            .With("Saga:CompensationTimeout", "00:00:00.5")
            .With("Saga:CompensationRetries", "1")
            .With("Outbox:PollInterval", "00:00:00.2")
            .With("Security:OperatorKeys:0:Name", "anna")
            .With("Security:OperatorKeys:0:Key", OperatorKey);
        var api = new OrdersClient(host.CreateClient());
        var stockBefore = (await api.Stock("SKU-2")).Available;
        var inventory = host.Services.GetRequiredService<KafkaEndpointRegistry>().Running.Single(e => e.Name == ServiceEndpoints.Inventory);
        await inventory.StopAsync(CancellationToken.None);

        var retried = await api.Submit("SKU-2", 3);
        var resolved = await api.Submit("SKU-2", 4);
        foreach (var id in new[] { retried, resolved })
        {
            var failed = await InState(api, id, "CompensationFailed");
            Assert.Equal(FailureReasons.InventoryTimeout, failed.FailureReason);
            Assert.Equal(["AwaitingInventory", "Compensating", "Compensating", "CompensationFailed"], failed.History.Select(h => h.To));
        }
        var listed = (await api.Http.GetFromJsonAsync<OrderPage>("/orders?state=CompensationFailed"))!;
        Assert.Equal([resolved, retried], listed.Items.Select(o => o.OrderId));

        Assert.Equal(HttpStatusCode.Unauthorized, (await Act(api, retried, "retry-compensation", key: null)).StatusCode);
        var resolving = await Act(api, resolved, "resolve", new { note = "Stock counted and put back by hand." });
        Assert.Equal(HttpStatusCode.Accepted, resolving.StatusCode);
        Assert.Equal(new OrderActionAccepted(resolved, "resolve", "anna"), await resolving.Content.ReadFromJsonAsync<OrderActionAccepted>());
        var cancelled = await InState(api, resolved, "Cancelled");
        Assert.Equal(FailureReasons.ResolvedByOperator, cancelled.FailureReason);
        Assert.Equal(("ResolveOrder", "CompensationFailed", "anna", "Stock counted and put back by hand."),
            (cancelled.History[^1].Event, cancelled.History[^1].From, cancelled.History[^1].Operator, cancelled.History[^1].Note));
        var again = await Act(api, resolved, "resolve", new { note = "Twice?" });
        Assert.Equal("Not in CompensationFailed.", (await Problem(again, HttpStatusCode.Conflict)).Title);

        Assert.Equal(HttpStatusCode.Accepted, (await Act(api, retried, "retry-compensation")).StatusCode);
        var retrying = await Eventually.Get(async () => (await api.Find(retried))!, o => o.History.Count > 4, "the retry taken");
        Assert.Equal(("RetryCompensation", "CompensationFailed", "Compensating", "anna"),
            (retrying.History[4].Event, retrying.History[4].From, retrying.History[4].To, retrying.History[4].Operator));
        Assert.True(retrying.History[4].At > retrying.History[3].At);
        // Still nobody to release it: asked again, then given up on again.
        var failedAgain = await Eventually.Get(async () => (await api.Find(retried))!, o => o.History.Count == 7, "the retry given up on");
        Assert.Equal(["Compensating", "Compensating", "CompensationFailed"], failedAgain.History.Skip(4).Select(h => h.To));

        // The inventory service is back: it works through what it was sent, in order, and the release is confirmed.
        await inventory.StartAsync(CancellationToken.None);
        var released = await InState(api, retried, "Cancelled");
        Assert.Equal(FailureReasons.InventoryTimeout, released.FailureReason);
        Assert.Equal(("InventoryReleased", "CompensationFailed"), (released.History[^1].Event, released.History[^1].From));
        await Eventually.Get(() => api.Stock("SKU-2"), s => s.Available == stockBefore && s.Reserved == 0,
            "both orders' late reservations released again");
        Assert.Equal("Cancelled", (await api.Find(resolved))!.State);
    }

    static Task<HttpResponseMessage> Act(OrdersClient api, Guid orderId, string action, object? body = null, string? key = OperatorKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/orders/{orderId}/actions/{action}")
        {
            Content = body is null ? null : JsonContent.Create(body)
        }.WithKey(key);
        return api.Http.SendAsync(request);
    }

    static async Task<ProblemDetails> Problem(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<ProblemDetails>())!;
    }

    static async Task<OrderView> InState(OrdersClient api, Guid orderId, string state) =>
        (await Eventually.Get(() => api.Find(orderId), o => o?.State == state, $"order {orderId} in {state}", seconds: 40))!;
}
