using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using SagaEngine.Host.Api;
using SagaEngine.Sagas;
using SagaEngine.Tests.Persistence;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Api;

/// <summary>POST /orders with an Idempotency-Key: a client that retries gets its first order back, never a second one.</summary>
public abstract class IdempotentIntake_Specs(SagaEngineFactory host)
{
    readonly OrdersClient _client = new(host.CreateClient());

    Task<HttpResponseMessage> Post(string json, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/orders") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (key is not null)
            request.Headers.TryAddWithoutValidation(IdempotencyKeys.Header, key);
        return _client.Http.SendAsync(request);
    }

    Task<int> OrdersOf(string customerId) =>
        host.Query(db => db.Set<OrderIntake>().CountAsync(i => i.CustomerId == customerId));

    static string Order(string customerId, int quantity = 1) =>
        $$"""{"customerId":"{{customerId}}","currency":"EUR","items":[{"sku":"SKU-1","quantity":{{quantity}},"unitPrice":10}],"paymentToken":"tok_ok"}""";

    [Fact]
    public async Task Should_return_the_first_order_for_the_same_key_and_body_and_start_it_once()
    {
        var customer = $"c-{Guid.NewGuid():N}"[..20];
        var key = Guid.NewGuid().ToString();

        var first = await Post(Order(customer), key);
        var firstOrder = (await first.Content.ReadFromJsonAsync<OrderAccepted>())!;
        await _client.WaitUntilEnded(firstOrder.OrderId);
        // Same order, other spacing: still the same request.
        var again = await Post(Order(customer).Replace(",", ", "), key);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        var repeated = (await again.Content.ReadFromJsonAsync<OrderAccepted>())!;
        Assert.Equal(firstOrder.OrderId, repeated.OrderId);
        Assert.Equal("Confirmed", repeated.State);
        Assert.Equal($"/orders/{firstOrder.OrderId}", again.Headers.Location!.OriginalString);
        Assert.Equal(1, await OrdersOf(customer));
        Assert.Single(await host.Query(db => db.Set<OrderState>().Where(o => o.CustomerId == customer).ToListAsync()));
    }

    [Fact]
    public async Task Should_refuse_the_same_key_with_another_body_with_409()
    {
        var customer = $"c-{Guid.NewGuid():N}"[..20];
        var key = Guid.NewGuid().ToString();
        Assert.Equal(HttpStatusCode.Accepted, (await Post(Order(customer, 1), key)).StatusCode);

        var other = await Post(Order(customer, 2), key);

        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        Assert.Equal("application/problem+json", other.Content.Headers.ContentType!.MediaType);
        Assert.Equal(409, (await other.Content.ReadFromJsonAsync<ProblemDetails>())!.Status);
        Assert.Equal(1, await OrdersOf(customer));
    }

    [Fact]
    public async Task Should_create_one_order_when_the_same_request_races_itself()
    {
        var customer = $"c-{Guid.NewGuid():N}"[..20];
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Post(Order(customer), key)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        var ids = await Task.WhenAll(responses.Select(async r => (await r.Content.ReadFromJsonAsync<OrderAccepted>())!.OrderId));
        Assert.Single(ids.Distinct());
        Assert.Equal(1, await OrdersOf(customer));
    }

    [Fact]
    public async Task Should_treat_different_keys_and_no_key_as_different_orders()
    {
        var customer = $"c-{Guid.NewGuid():N}"[..20];

        await Post(Order(customer), "key-a-" + customer);
        await Post(Order(customer), "key-b-" + customer);
        await Post(Order(customer), null);
        await Post(Order(customer), null);

        Assert.Equal(4, await OrdersOf(customer));
    }

    [Theory]
    [InlineData("tab\there")]
    [InlineData("ключ")]
    public async Task Should_refuse_a_malformed_key_naming_the_header(string key)
    {
        var response = await Post(Order("cust-1"), key);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([IdempotencyKeys.Header], (await response.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.Keys);
    }

    [Fact]
    public async Task Should_refuse_a_key_over_100_characters()
    {
        var response = await Post(Order("cust-1"), new string('k', 101));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await Post(Order("cust-1"), new string('k', 100))).StatusCode);
    }
}

public class IdempotentIntake_on_Sqlite(SqliteHost host) : IdempotentIntake_Specs(host), IClassFixture<SqliteHost>;

public class IdempotentIntake_on_Postgres(PostgresHost host) : IdempotentIntake_Specs(host), IClassFixture<PostgresHost>;

public class An_expired_idempotency_key
{
    [Fact]
    public async Task Should_start_a_new_order_once_its_retention_has_passed()
    {
        await using var host = new SagaEngineFactory().With("Intake:IdempotencyKeyRetention", "00:00:01");
        var client = host.CreateClient();
        const string body = """{"customerId":"cust-1","currency":"EUR","items":[{"sku":"SKU-1","quantity":1,"unitPrice":10}],"paymentToken":"tok_ok"}""";
        async Task<Guid> Post()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/orders") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add(IdempotencyKeys.Header, "retried-key");
            return (await (await client.SendAsync(request)).Content.ReadFromJsonAsync<OrderAccepted>())!.OrderId;
        }

        var first = await Post();
        Assert.Equal(first, await Post());
        var later = await Eventually.Get(Post, id => id != first, "a new order once the key expired", seconds: 10);

        Assert.NotEqual(first, later);
    }
}

/// <summary>
/// An empty Idempotency-Key, sent as raw HTTP to a real Kestrel: HttpClient drops an empty header, so
/// only a request written by hand reaches the API with one.
/// </summary>
public class An_empty_idempotency_key
{
    [Fact]
    public async Task Should_be_refused_naming_the_header_not_taken_as_no_key()
    {
        await using var host = new SagaEngineFactory();
        host.UseKestrel(0);
        host.StartServer();
        var address = host.CreateClient().BaseAddress!;
        var body = Encoding.UTF8.GetBytes(OrdersClient.OrderJson());

        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port);
        await using var stream = tcp.GetStream();
        var head = $"POST /orders HTTP/1.1\r\nHost: {address.Host}\r\nContent-Type: application/json\r\n" +
                   $"{IdempotencyKeys.Header}: \r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(body);
        var response = await new StreamReader(stream).ReadToEndAsync();

        Assert.StartsWith("HTTP/1.1 400", response);
        Assert.Contains($"\"{IdempotencyKeys.Header}\"", response);
        Assert.Equal(0, await host.Query(db => db.Set<OrderIntake>().CountAsync()));
    }
}
