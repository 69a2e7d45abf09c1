using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Api;

/// <summary>
/// The order actions' answers before anything reaches the saga: who may ask, and for which orders. The
/// actions themselves, on an order in CompensationFailed, are in <c>Kafka/CompensationFailed_Specs</c>.
/// </summary>
public class Order_actions(KeyedHost host) : IClassFixture<KeyedHost>
{
    static readonly string[] Actions = ["retry-compensation", "resolve"];
    readonly OrdersClient _api = new(host.CreateClient());

    [Fact]
    public async Task Should_need_an_operator_key()
    {
        foreach (var action in Actions)
        {
            var none = await _api.Http.SendAsync(Request(Guid.NewGuid(), action, null).From(OperatorRequests.Remote));
            await OperatorRequests.Problem(none, HttpStatusCode.Unauthorized);
            var wrong = await _api.Http.SendAsync(Request(Guid.NewGuid(), action, "not-a-key-of-this-host").From(OperatorRequests.Remote));
            await OperatorRequests.Problem(wrong, HttpStatusCode.Forbidden);
        }
    }

    [Fact]
    public async Task Should_answer_409_for_an_order_in_any_other_state_and_leave_it_as_it_is()
    {
        var id = await _api.Submit();
        var confirmed = await _api.WaitUntilEnded(id);
        Assert.Equal("Confirmed", confirmed.State);

        foreach (var action in Actions)
        {
            var response = await _api.Http.SendAsync(Request(id, action, KeyedHost.AliceKey));
            var problem = await OperatorRequests.Problem(response, HttpStatusCode.Conflict);
            Assert.Equal("Not in CompensationFailed.", problem.Title);
            Assert.Contains("Confirmed", problem.Detail);
        }
        Assert.Equal(confirmed.History.Count, (await _api.Find(id))!.History.Count);
    }

    [Fact]
    public async Task Should_answer_404_for_an_unknown_order_and_400_naming_a_bad_id_or_note()
    {
        foreach (var action in Actions)
            Assert.Equal("Order not found.",
                (await OperatorRequests.Problem(await _api.Http.SendAsync(Request(Guid.NewGuid(), action, KeyedHost.AliceKey)), HttpStatusCode.NotFound)).Title);

        var badId = await _api.Http.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/orders/not-a-guid/actions/retry-compensation").WithKey(KeyedHost.AliceKey));
        Assert.Contains("orderId", await BadRequestFields(badId));

        foreach (var body in new[] { "", "{}", """{"note":"   "}""", $$"""{"note":"{{new string('n', 501)}}"}""" })
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/orders/{Guid.NewGuid()}/actions/resolve")
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json")
            }.WithKey(KeyedHost.AliceKey);
            Assert.Equal(["note"], await BadRequestFields(await _api.Http.SendAsync(request)));
        }
    }

    [Fact]
    public async Task Should_be_operator_actions_in_the_openapi_document()
    {
        using var doc = JsonDocument.Parse(await _api.Http.GetStringAsync("/swagger/v1/swagger.json"));
        var paths = doc.RootElement.GetProperty("paths");

        foreach (var action in Actions)
        {
            var post = paths.GetProperty($"/orders/{{orderId}}/actions/{action}").GetProperty("post");
            Assert.Equal(["operatorKey"], post.GetProperty("security").EnumerateArray().SelectMany(r => r.EnumerateObject()).Select(p => p.Name));
            Assert.Equal(["202", "400", "401", "403", "404", "409"], post.GetProperty("responses").EnumerateObject().Select(r => r.Name).Order());
        }
    }

    static HttpRequestMessage Request(Guid orderId, string action, string? key) =>
        new HttpRequestMessage(HttpMethod.Post, $"/orders/{orderId}/actions/{action}")
        {
            Content = action == "resolve" ? JsonContent.Create(new { note = "Seen to." }) : null
        }.WithKey(key);

    static async Task<IReadOnlyList<string>> BadRequestFields(HttpResponseMessage response)
    {
        var problem = await OperatorRequests.Problem(response, HttpStatusCode.BadRequest);
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(problem.Extensions["errors"]));
        return json.RootElement.EnumerateObject().Select(p => p.Name).ToList();
    }
}
