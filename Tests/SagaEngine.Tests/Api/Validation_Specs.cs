using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using SagaEngine.Host.Api;
using SagaEngine.Tests.Persistence;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Api;

/// <summary>Every intake rule: a 400 ProblemDetails naming the field, and no order stored or started.</summary>
public abstract class Validation_Specs(SagaEngineFactory host)
{
    readonly OrdersClient _client = new(host.CreateClient());

    const string Valid = """{"customerId":"cust-1","currency":"EUR","items":[{"sku":"SKU-1","quantity":2,"unitPrice":12.50}],"paymentToken":"tok_ok"}""";

    /// <summary>The valid order with one member replaced (or removed when <paramref name="json"/> is null).</summary>
    static string With(string path, string? json)
    {
        var order = JsonNode.Parse(Valid)!.AsObject();
        JsonObject target = order;
        var parts = path.Split('.');
        if (parts.Length == 2)
            target = order["items"]![0]!.AsObject();
        if (json is null)
            target.Remove(parts[^1]);
        else
            target[parts[^1]] = JsonNode.Parse(json);
        return order.ToJsonString();
    }

    public static TheoryData<string, string, string?> BrokenRules => new()
    {
        // field, path in the body, replacement JSON (null: the member is missing)
        { "customerId", "customerId", null },
        { "customerId", "customerId", "\"\"" },
        { "customerId", "customerId", $"\"{new string('c', 65)}\"" },
        { "customerId", "customerId", "\"cust 1\"" },
        { "customerId", "customerId", "\"cust-1\\n\"" },
        { "currency", "currency", null },
        { "currency", "currency", "\"eur\"" },
        { "currency", "currency", "\"EURO\"" },
        { "currency", "currency", "\"E1R\"" },
        { "items", "items", null },
        { "items", "items", "[]" },
        { "items", "items", $"[{string.Join(",", Enumerable.Repeat("""{"sku":"SKU-1","quantity":1,"unitPrice":1}""", 51))}]" },
        { "items[0]", "items", "[null]" },
        { "items[0].sku", "items.sku", null },
        { "items[0].sku", "items.sku", "\"\"" },
        { "items[0].sku", "items.sku", "\"sku-1\"" },
        { "items[0].sku", "items.sku", "\"SKU_1\"" },
        { "items[0].sku", "items.sku", $"\"{new string('S', 65)}\"" },
        { "items[0].quantity", "items.quantity", null },
        { "items[0].quantity", "items.quantity", "0" },
        { "items[0].quantity", "items.quantity", "1001" },
        { "items[0].unitPrice", "items.unitPrice", null },
        { "items[0].unitPrice", "items.unitPrice", "0" },
        { "items[0].unitPrice", "items.unitPrice", "-1" },
        { "items[0].unitPrice", "items.unitPrice", "1000000.01" },
        { "items[0].unitPrice", "items.unitPrice", "12.345" },
        { "paymentToken", "paymentToken", null },
        { "paymentToken", "paymentToken", "\"\"" },
        { "paymentToken", "paymentToken", $"\"{new string('t', 65)}\"" },
        // Wrong JSON types are named by their path too.
        { "customerId", "customerId", "5" },
        { "items", "items", "{}" },
        { "items[0].quantity", "items.quantity", "\"2\"" },
        { "items[0].quantity", "items.quantity", "2.5" },
        { "items[0].unitPrice", "items.unitPrice", "\"12.50\"" },
    };

    [Theory]
    [MemberData(nameof(BrokenRules))]
    public async Task Should_refuse_a_broken_rule_naming_the_field(string field, string path, string? json)
    {
        var response = await _client.PostJson(With(path, json));

        var problem = await AssertValidationProblem(response);
        Assert.Equal([field], problem.Errors.Keys);
        await AssertNothingStored();
    }

    [Fact]
    public async Task Should_accept_the_limits_themselves()
    {
        var body = JsonSerializer.Serialize(new
        {
            customerId = new string('c', 64),
            currency = "USD",
            items = Enumerable.Range(0, 50).Select(_ => new { sku = new string('S', 64), quantity = 1000, unitPrice = 1_000_000m }),
            paymentToken = new string('t', 64)
        });

        Assert.Equal(HttpStatusCode.Accepted, (await _client.PostJson(body)).StatusCode);
    }

    [Fact]
    public async Task Should_name_every_broken_field_at_once()
    {
        var body = """{"customerId":"","currency":"eu","items":[{"sku":"SKU-1","quantity":1,"unitPrice":1},{"sku":"x","quantity":0,"unitPrice":0.001}],"paymentToken":""}""";

        var problem = await AssertValidationProblem(await _client.PostJson(body));

        Assert.Equal(["currency", "customerId", "items[1].quantity", "items[1].sku", "items[1].unitPrice", "paymentToken"],
            problem.Errors.Keys.Order());
        await AssertNothingStored();
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"customerId\":")]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("")]
    public async Task Should_refuse_a_body_that_is_not_an_order(string body)
    {
        var problem = await AssertValidationProblem(await _client.PostJson(body));

        Assert.NotEmpty(problem.Errors);
        await AssertNothingStored();
    }

    [Fact]
    public async Task Should_refuse_a_request_without_a_body()
    {
        var response = await _client.Http.PostAsync("/orders", null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        await AssertNothingStored();
    }

    static async Task<ValidationProblemDetails> AssertValidationProblem(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<ValidationProblemDetails>())!;
        Assert.Equal(400, problem.Status);
        Assert.False(string.IsNullOrEmpty(problem.Title));
        return problem;
    }

    async Task AssertNothingStored()
    {
        var page = (await _client.Http.GetFromJsonAsync<OrderPage>("/orders?limit=500"))!;
        Assert.DoesNotContain(page.Items, o => o.CustomerId != new string('c', 64));
    }
}

public class A_body_over_the_size_limit
{
    [Fact]
    public async Task Should_be_refused_with_413_before_it_is_read()
    {
        await using var host = new SagaEngineFactory();
        host.UseKestrel(0);
        host.StartServer();
        var client = host.CreateClient();
        var padding = new string(' ', (int)ApiExtensions.MaxRequestBodyBytes);

        var response = await client.PostAsync("/orders",
            new StringContent(OrdersClient.OrderJson() + padding, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }
}

public class Validation_on_Sqlite(SqliteHost host) : Validation_Specs(host), IClassFixture<SqliteHost>;

public class Validation_on_Postgres(PostgresHost host) : Validation_Specs(host), IClassFixture<PostgresHost>;
