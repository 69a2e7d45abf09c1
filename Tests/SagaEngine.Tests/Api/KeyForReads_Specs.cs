using System.Net;
using System.Text;
using System.Text.Json;
using SagaEngine.Host.Persistence;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Api;

/// <summary>A host with <c>Security:RequireKeyForReads</c> on and one operator key.</summary>
public class ReadsNeedAKeyHost : SagaEngineFactory
{
    public const string Key = "reader-0123456789abcdef";

    public ReadsNeedAKeyHost() : base(DatabaseProvider.Sqlite)
    {
        With("Security:RequireKeyForReads", "true");
        With("Security:OperatorKeys:0:Name", "reporting").With("Security:OperatorKeys:0:Key", Key);
        this.WithClientAddresses();
    }
}

public class Reads_when_a_key_is_required(ReadsNeedAKeyHost host) : IClassFixture<ReadsNeedAKeyHost>
{
    readonly HttpClient _http = host.CreateClient();

    public static TheoryData<string> Reads => new()
    {
        "/orders", "/orders/state-machine", $"/orders/{Guid.NewGuid()}", "/inventory/SKU-1", $"/payments?orderId={Guid.NewGuid()}",
        "/outbox", "/kafka", "/dead-letters"
    };

    [Theory]
    [MemberData(nameof(Reads))]
    public async Task Should_answer_a_read_401_without_a_key_403_with_a_wrong_one_and_serve_it_with_a_valid_one(string read)
    {
        HttpRequestMessage Get(string? key) => new HttpRequestMessage(HttpMethod.Get, read).From("127.0.0.1").WithKey(key);

        await OperatorRequests.Problem(await _http.SendAsync(Get(null)), HttpStatusCode.Unauthorized);
        await OperatorRequests.Problem(await _http.SendAsync(Get("not-the-reader-key-0123")), HttpStatusCode.Forbidden);
        var served = await _http.SendAsync(Get(ReadsNeedAKeyHost.Key));
        Assert.True(served.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"GET {read} answered {(int)served.StatusCode}");
    }

    [Fact]
    public async Task Should_take_an_order_only_with_a_key()
    {
        HttpRequestMessage Submit(string? key) => new HttpRequestMessage(HttpMethod.Post, "/orders")
        {
            Content = new StringContent(OrdersClient.OrderJson(), Encoding.UTF8, "application/json")
        }.From(OperatorRequests.Remote).WithKey(key);

        await OperatorRequests.Problem(await _http.SendAsync(Submit(null)), HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.Accepted, (await _http.SendAsync(Submit(ReadsNeedAKeyHost.Key))).StatusCode);
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/metrics")]
    [InlineData("/swagger/v1/swagger.json")]
    [InlineData("/swagger/index.html")]
    public async Task Should_leave_health_metrics_and_the_api_description_open(string path)
    {
        var response = await _http.SendAsync(new HttpRequestMessage(HttpMethod.Get, path).From(OperatorRequests.Remote));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Should_leave_readiness_open()
    {
        var response = await _http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/health/ready").From(OperatorRequests.Remote));

        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, $"answered {(int)response.StatusCode}");
    }

    [Fact]
    public async Task Should_require_the_key_on_every_operation_of_the_openapi_document()
    {
        using var doc = JsonDocument.Parse(await _http.GetStringAsync("/swagger/v1/swagger.json"));

        var operations = doc.RootElement.GetProperty("paths").EnumerateObject().SelectMany(p => p.Value.EnumerateObject()).ToList();
        Assert.NotEmpty(operations);
        Assert.All(operations, o => Assert.Equal(["operatorKey"],
            o.Value.GetProperty("security").EnumerateArray().SelectMany(r => r.EnumerateObject()).Select(p => p.Name)));
    }
}
