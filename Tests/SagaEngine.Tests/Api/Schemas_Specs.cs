using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using SagaEngine.Host.Api;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Api;

/// <summary>GET /schemas and GET /schemas/{type}/{version}: the catalog as the running host serves it.</summary>
public class The_schema_catalog_API : IAsyncLifetime
{
    readonly SagaEngineFactory _host = new();
    HttpClient _http = null!;

    public Task InitializeAsync()
    {
        _http = _host.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Should_list_every_message_with_its_identity_versions_and_topics()
    {
        var list = (await _http.GetFromJsonAsync<List<MessageSchemaView>>("/schemas"))!;

        Assert.Equal(18, list.Count);
        var confirmed = list.Single(m => m.Type == "OrderConfirmed");
        Assert.Equal(("sagaengine:order-confirmed", "urn:message:sagaengine:order-confirmed", 2), (confirmed.Identity, confirmed.Urn, confirmed.CurrentVersion));
        Assert.Equal([1, 2], confirmed.Versions);
        Assert.Equal(["orders.events"], confirmed.Topics);
        Assert.Equal(["inventory.commands"], list.Single(m => m.Type == "ReserveInventory").Topics);
        Assert.Equal(["payment.replies"], list.Single(m => m.Type == "PaymentCharged").Topics);
        // Timeouts are scheduled sends to the saga's own endpoint, whose first topic is orders.events.
        Assert.Equal(["orders.events"], list.Single(m => m.Type == "InventoryTimedOut").Topics);
    }

    [Fact]
    public async Task Should_serve_each_versions_json_schema()
    {
        var response = await _http.GetAsync("/schemas/OrderConfirmed/1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(SchemasApi.SchemaContentType, response.Content.Headers.ContentType!.MediaType);
        var v1 = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var v2 = JsonNode.Parse(await _http.GetStringAsync("/schemas/orderconfirmed/2"))!;

        Assert.Equal("OrderConfirmed", v1["title"]!.GetValue<string>());
        Assert.Null(v1["properties"]!["sequence"]);
        Assert.NotNull(v2["properties"]!["sequence"]);
        Assert.NotNull(v2["properties"]!["customerId"]);
    }

    [Theory]
    [InlineData("/schemas/OrderConfirmed/3", HttpStatusCode.NotFound)]
    [InlineData("/schemas/NoSuchMessage/1", HttpStatusCode.NotFound)]
    [InlineData("/schemas/OrderConfirmed/zero", HttpStatusCode.BadRequest)]
    [InlineData("/schemas/OrderConfirmed/0", HttpStatusCode.BadRequest)]
    public async Task Should_answer_a_problem_for_what_the_catalog_does_not_have(string path, HttpStatusCode status)
    {
        var response = await _http.GetAsync(path);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Should_appear_in_the_openapi_document()
    {
        using var doc = JsonDocument.Parse(await _http.GetStringAsync("/swagger/v1/swagger.json"));
        var paths = doc.RootElement.GetProperty("paths");

        Assert.True(paths.TryGetProperty("/schemas", out _));
        Assert.True(paths.TryGetProperty("/schemas/{type}/{version}", out _));
    }
}
