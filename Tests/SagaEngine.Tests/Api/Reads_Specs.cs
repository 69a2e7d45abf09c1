using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using SagaEngine.Host.Api;
using SagaEngine.Tests.Persistence;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Api;

public abstract class Reads_Specs(SagaEngineFactory host)
{
    readonly OrdersClient _client = new(host.CreateClient());

    [Fact]
    public async Task Should_answer_404_problem_for_an_unknown_order()
    {
        var response = await _client.Http.GetAsync($"/orders/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(404, (await response.Content.ReadFromJsonAsync<ProblemDetails>())!.Status);
    }

    [Theory]
    [InlineData("/orders/not-an-id", "orderId")]
    [InlineData("/orders/123", "orderId")]
    [InlineData("/orders?limit=0", "limit")]
    [InlineData("/orders?limit=501", "limit")]
    [InlineData("/orders?after=garbage", "after")]
    [InlineData("/orders?state=Lost", "state")]
    [InlineData("/payments", "orderId")]
    [InlineData("/payments?orderId=x", "orderId")]
    public async Task Should_answer_400_problem_naming_a_malformed_parameter(string url, string parameter)
    {
        var response = await _client.Http.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<ValidationProblemDetails>())!;
        Assert.Equal([parameter], problem.Errors.Keys);
    }

    [Fact]
    public async Task Should_page_through_orders_newest_first_and_filter_by_state()
    {
        var confirmed = new List<Guid>();
        for (var i = 0; i < 5; i++)
            confirmed.Add(await _client.Submit());
        var cancelled = await _client.Submit(token: "tok_decline");
        foreach (var id in confirmed.Append(cancelled))
            await _client.WaitUntilEnded(id);

        var seen = new List<OrderSummary>();
        string? next = null;
        var pages = 0;
        do
        {
            var page = (await _client.Http.GetFromJsonAsync<OrderPage>(
                $"/orders?state=Confirmed&limit=2{(next is null ? "" : $"&after={next}")}"))!;
            Assert.InRange(page.Items.Count, 1, 2);
            seen.AddRange(page.Items);
            next = page.Next;
            pages++;
        } while (next is not null);

        Assert.Equal(3, pages);
        Assert.Equal(confirmed.AsEnumerable().Reverse(), seen.Select(o => o.OrderId));
        Assert.All(seen, o => Assert.Equal("Confirmed", o.State));
        Assert.Equal(seen.OrderByDescending(o => o.CreatedAt).Select(o => o.OrderId), seen.Select(o => o.OrderId));

        var cancelledPage = (await _client.Http.GetFromJsonAsync<OrderPage>("/orders?state=Cancelled"))!;
        Assert.Equal([cancelled], cancelledPage.Items.Select(o => o.OrderId));
        Assert.Equal("payment-declined", cancelledPage.Items[0].FailureReason);

        var all = (await _client.Http.GetFromJsonAsync<OrderPage>("/orders"))!;
        Assert.Equal(cancelled, all.Items[0].OrderId);
        Assert.Null(all.Next);
    }

    [Fact]
    public async Task Should_show_stock_of_a_sku_and_404_for_an_unknown_one()
    {
        Assert.Equal(new StockView("SKU-LOW", 5, 0, 1), await _client.Stock("SKU-LOW"));
        Assert.Equal(HttpStatusCode.NotFound, (await _client.Http.GetAsync("/inventory/SKU-NOPE")).StatusCode);
    }

    [Fact]
    public async Task Should_describe_the_state_machine_as_json_and_as_dot()
    {
        var description = (await _client.Http.GetFromJsonAsync<StateMachineDescription>("/orders/state-machine"))!;

        Assert.Contains(new StateMachineTransition("Initial", "OrderSubmitted", "AwaitingInventory"), description.Transitions);
        Assert.Contains(new StateMachineTransition("AwaitingPayment", "PaymentFailed", "Compensating"), description.Transitions);
        Assert.Contains(new StateMachineTransition("Compensating", "InventoryReleased", "Cancelled"), description.Transitions);
        Assert.Contains(new StateMachineTransition("AwaitingInventory", "InventoryTimeout.Received", "Compensating"), description.Transitions);
        Assert.Contains(new StateMachineTransition("AwaitingPayment", "PaymentTimeout.Received", "Compensating"), description.Transitions);
        Assert.Contains(new StateMachineTransition("Compensating", "CompensationTimeout.Received", "CompensationFailed"), description.Transitions);
        Assert.Contains(new StateMachineTransition("CompensationFailed", "RetryCompensation", "Compensating"), description.Transitions);
        Assert.Contains(new StateMachineTransition("CompensationFailed", "ResolveOrder", "Cancelled"), description.Transitions);
        Assert.Contains(new StateMachineTransition("CompensationFailed", "InventoryReleased", "Cancelled"), description.Transitions);
        Assert.Equal(15, description.Transitions.Count);
        Assert.Contains("Confirmed", description.States);
        Assert.Contains("CompensationFailed", description.States);
        Assert.Contains("PaymentCharged", description.Events);

        var response = await _client.Http.GetAsync("/orders/state-machine?format=dot");
        Assert.Equal("text/vnd.graphviz", response.Content.Headers.ContentType!.MediaType);
        var dot = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("digraph", dot);
        Assert.Contains("\"AwaitingPayment\" -> \"Confirmed\" [label=\"PaymentCharged\"];", dot);
        Assert.Contains("\"Confirmed\" [shape=doublecircle];", dot);
        Assert.Contains("\"CompensationFailed\" [shape=ellipse];", dot);
    }

    [Fact]
    public async Task Should_publish_an_openapi_document_describing_every_route_body_and_error()
    {
        using var doc = JsonDocument.Parse(await _client.Http.GetStringAsync("/swagger/v1/swagger.json"));
        var paths = doc.RootElement.GetProperty("paths");

        Assert.Equal(["/customers/{customerId}/account", "/customers/{customerId}/orders", "/dead-letters", "/dead-letters/{id}", "/dead-letters/{id}/discard", "/dead-letters/{id}/replay", "/events",
                "/inventory/{sku}", "/inventory/{sku}/receipts", "/kafka", "/kafka/consumer-groups", "/kafka/consumer-groups/{group}/reset", "/orders", "/orders/state-machine", "/orders/{orderId}",
                "/orders/{orderId}/actions/resolve", "/orders/{orderId}/actions/retry-compensation", "/outbox", "/outbox/parked", "/outbox/parked/{id}/retry",
                "/payments", "/projections", "/projections/inline/{name}/check", "/projections/inline/{name}/rebuild", "/projections/{name}/rebuild",
                "/reports/orders", "/reports/sales", "/schemas", "/schemas/{type}/{version}", "/streams/{streamId}"],
            paths.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        var post = paths.GetProperty("/orders").GetProperty("post");
        Assert.Equal(["202", "400", "409", "413"], post.GetProperty("responses").EnumerateObject().Select(r => r.Name).Order());
        Assert.Contains(post.GetProperty("parameters").EnumerateArray(),
            p => p.GetProperty("in").GetString() == "header" && p.GetProperty("name").GetString() == "Idempotency-Key");
        Assert.Equal(["200", "400", "404"],
            paths.GetProperty("/orders/{orderId}").GetProperty("get").GetProperty("responses").EnumerateObject().Select(r => r.Name).Order());

        Assert.Equal(["200", "400", "401", "403", "404", "409", "503"],
            paths.GetProperty("/dead-letters/{id}/replay").GetProperty("post").GetProperty("responses").EnumerateObject().Select(r => r.Name).Order());

        var example = doc.RootElement.GetProperty("components").GetProperty("schemas").GetProperty("SubmitOrderRequest").GetProperty("example");
        var errors = SubmitOrderValidator.Validate(example.Deserialize<SubmitOrderRequest>(JsonSerializerOptions.Web)!);
        Assert.Empty(errors);
    }
}

public class Swagger_UI
{
    [Fact]
    public async Task Should_be_served_at_swagger()
    {
        await using var host = new SagaEngineFactory();
        var response = await host.CreateClient().GetAsync("/swagger/index.html");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("swagger-ui", await response.Content.ReadAsStringAsync());
    }
}

public class Reads_on_Sqlite(SqliteHost host) : Reads_Specs(host), IClassFixture<SqliteHost>;

public class Reads_on_Postgres(PostgresHost host) : Reads_Specs(host), IClassFixture<PostgresHost>;
