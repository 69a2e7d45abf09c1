using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using SagaEngine.Host.Api;
using SagaEngine.Host.Kafka.Producing;
using SagaEngine.Host.Persistence;
using SagaEngine.Tests.Support;
using Serilog.Core;
using Serilog.Events;

namespace SagaEngine.Tests.Api;

/// <summary>A host with two operator keys, whose client address each request chooses.</summary>
public class KeyedHost : SagaEngineFactory
{
    public const string AliceKey = "alice-0123456789abcdef";
    public const string BobKey = "bob-fedcba9876543210-longer";

    public KeyedHost() : base(DatabaseProvider.Sqlite)
    {
        With("Security:OperatorKeys:0:Name", "alice").With("Security:OperatorKeys:0:Key", AliceKey);
        With("Security:OperatorKeys:1:Name", "bob").With("Security:OperatorKeys:1:Key", BobKey);
        With("Serilog:MinimumLevel:Default", "Information");
        this.WithClientAddresses();
        WithServices(s => s.AddSingleton<ILogEventSink>(Logs));
    }

    public CapturedLogEvents Logs { get; } = new();
}

/// <summary>A host with no operator key configured.</summary>
public class UnkeyedHost : SagaEngineFactory
{
    public UnkeyedHost() : base(DatabaseProvider.Sqlite)
    {
        With("Serilog:MinimumLevel:Default", "Information");
        this.WithClientAddresses();
        WithServices(s => s.AddSingleton<ILogEventSink>(Logs));
    }

    public CapturedLogEvents Logs { get; } = new();
}

static class OperatorRequests
{
    public const string Remote = "203.0.113.9";

    /// <summary>An operator action on a dead letter that does not exist: 404 means the caller got past the key check.</summary>
    public static HttpRequestMessage ReplayOfNothing(string from, string? key = null) =>
        new HttpRequestMessage(HttpMethod.Post, "/dead-letters/999999/replay").From(from).WithKey(key);

    public static async Task<ProblemDetails> Problem(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<ProblemDetails>())!;
        Assert.Equal((int)status, problem.Status);
        return problem;
    }

    /// <summary>Dead-letters a record that is not JSON and waits until the API lists it.</summary>
    public static async Task<long> DeadLetter(SagaEngineFactory host, HttpClient http, string key)
    {
        var headers = new Confluent.Kafka.Headers { { "MT-MessageType", Encoding.UTF8.GetBytes("urn:message:Nowhere:Nothing") } };
        await host.Services.GetRequiredService<IKafkaProducer>().ProduceCopy("orders.events",
            new Message<string, byte[]> { Key = key, Value = "not json"u8.ToArray(), Headers = headers });
        var page = await Eventually.Get(async () => (await http.GetFromJsonAsync<DeadLetterPage>("/dead-letters?topic=orders.events"))!,
            p => p.Items.Any(d => d.Key == key), $"the record {key} dead-lettered");
        return page.Items.Single(d => d.Key == key).Id;
    }
}

public class Operator_actions_with_keys(KeyedHost host) : IClassFixture<KeyedHost>
{
    readonly HttpClient _http = host.CreateClient();

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData(OperatorRequests.Remote)]
    public async Task Should_answer_401_problem_asking_for_a_bearer_key_when_none_is_sent(string from)
    {
        var response = await _http.SendAsync(OperatorRequests.ReplayOfNothing(from));

        await OperatorRequests.Problem(response, HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task Should_answer_401_to_a_key_sent_in_another_scheme()
    {
        var request = OperatorRequests.ReplayOfNothing(OperatorRequests.Remote);
        request.Headers.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:" + KeyedHost.AliceKey)));

        await OperatorRequests.Problem(await _http.SendAsync(request), HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("not-a-key-of-this-host-at-all")]
    [InlineData(KeyedHost.AliceKey + "x")]
    [InlineData("alice-0123456789abcde")]
    [InlineData("ALICE-0123456789ABCDEF")]
    [InlineData("alice")]
    public async Task Should_answer_403_problem_to_a_wrong_key(string key)
    {
        var response = await _http.SendAsync(OperatorRequests.ReplayOfNothing(OperatorRequests.Remote, key));

        var problem = await OperatorRequests.Problem(response, HttpStatusCode.Forbidden);
        Assert.Contains("Security:OperatorKeys", problem.Detail);
    }

    [Theory]
    [InlineData("127.0.0.1", KeyedHost.AliceKey)]
    [InlineData(OperatorRequests.Remote, KeyedHost.AliceKey)]
    [InlineData("2001:db8::7", KeyedHost.BobKey)]
    public async Task Should_let_a_valid_key_through_from_any_address(string from, string key)
    {
        var response = await _http.SendAsync(OperatorRequests.ReplayOfNothing(from, key));

        Assert.Equal("Dead letter not found.", (await OperatorRequests.Problem(response, HttpStatusCode.NotFound)).Title);
    }

    [Theory]
    [InlineData("/inventory/OPS-1/receipts", """{"quantity":3}""")]
    [InlineData("/projections/inline/stock/rebuild", "")]
    public async Task Should_keep_the_event_store_s_operator_actions_to_operators(string route, string body)
    {
        HttpRequestMessage Request(string? key) => new HttpRequestMessage(HttpMethod.Post, route)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json")
        }.From(OperatorRequests.Remote).WithKey(key);

        await OperatorRequests.Problem(await _http.SendAsync(Request(null)), HttpStatusCode.Unauthorized);
        await OperatorRequests.Problem(await _http.SendAsync(Request("not-a-key-of-this-host-at-all")), HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await _http.SendAsync(Request(KeyedHost.AliceKey))).StatusCode);
    }

    [Fact]
    public async Task Should_replay_as_the_operator_the_key_names_and_log_that_name_but_never_a_key()
    {
        var id = await OperatorRequests.DeadLetter(host, _http, "replayed-by-bob");

        var response = await _http.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/dead-letters/{id}/replay")
            .From(OperatorRequests.Remote).WithKey(KeyedHost.BobKey));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var replayed = Assert.Single(host.Logs.Events, e => e.MessageTemplate.Text.StartsWith("Dead letter {Id} replayed"));
        Assert.Equal("\"bob\"", replayed.Properties["Operator"].ToString());
        var request = await Eventually.Get(() => host.Logs.Events.FirstOrDefault(e =>
                e.Properties.TryGetValue("RequestPath", out var path) && path.ToString() == $"\"/dead-letters/{id}/replay\""),
            e => e is not null, "the replay's request log line");
        Assert.Equal("\"bob\"", request!.Properties["Operator"].ToString());
        Assert.DoesNotContain(host.Logs.Lines, line => line.Contains(KeyedHost.BobKey) || line.Contains(KeyedHost.AliceKey));
    }

    [Fact]
    public async Task Should_leave_reads_and_order_submission_open()
    {
        foreach (var read in new[] { "/orders", "/dead-letters", "/inventory/SKU-1", "/outbox", "/kafka", "/orders/state-machine" })
        {
            var response = await _http.SendAsync(new HttpRequestMessage(HttpMethod.Get, read).From(OperatorRequests.Remote));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {read} answered {(int)response.StatusCode}");
        }
        var submit = new HttpRequestMessage(HttpMethod.Post, "/orders")
        {
            Content = new StringContent(OrdersClient.OrderJson(), Encoding.UTF8, "application/json")
        }.From(OperatorRequests.Remote);
        Assert.Equal(HttpStatusCode.Accepted, (await _http.SendAsync(submit)).StatusCode);
    }

    /// <summary>
    /// The read models' operator actions, each asked for something it refuses on its own (an unknown projection: 404;
    /// a reset without a target: 400), so that a key that gets through changes nothing.
    /// </summary>
    public static TheoryData<string, string, HttpStatusCode> ReadModelActions => new()
    {
        { "/projections/no-such-projection/rebuild", "{}", HttpStatusCode.NotFound },
        { "/kafka/consumer-groups/no-such-group/reset", "{}", HttpStatusCode.BadRequest }
    };

    [Theory]
    [MemberData(nameof(ReadModelActions))]
    public async Task Should_ask_a_key_for_a_projection_rebuild_and_a_consumer_group_reset(string path, string body, HttpStatusCode withKey)
    {
        HttpRequestMessage Post(string? key) =>
            new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") }
                .From(OperatorRequests.Remote).WithKey(key);

        var none = await _http.SendAsync(Post(null));
        await OperatorRequests.Problem(none, HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", none.Headers.WwwAuthenticate.Single().Scheme);
        await OperatorRequests.Problem(await _http.SendAsync(Post("not-a-key-of-this-host-at-all")), HttpStatusCode.Forbidden);
        await OperatorRequests.Problem(await _http.SendAsync(Post(KeyedHost.AliceKey)), withKey);
    }

    [Fact]
    public void Should_say_at_start_up_which_operators_have_keys()
    {
        var line = Assert.Single(host.Logs.Events, e => e.MessageTemplate.Text.StartsWith("Operator actions need an operator key"));
        Assert.Equal(LogEventLevel.Information, line.Level);
        Assert.Equal("[\"alice\", \"bob\"]", line.Properties["Operators"].ToString());
    }

    [Fact]
    public async Task Should_offer_the_key_in_the_openapi_document_on_operator_actions_only()
    {
        using var doc = JsonDocument.Parse(await _http.GetStringAsync("/swagger/v1/swagger.json"));

        var scheme = doc.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("operatorKey");
        Assert.Equal(("http", "bearer"), (scheme.GetProperty("type").GetString(), scheme.GetProperty("scheme").GetString()));
        var paths = doc.RootElement.GetProperty("paths");
        var replay = paths.GetProperty("/dead-letters/{id}/replay").GetProperty("post");
        Assert.Equal(["operatorKey"], replay.GetProperty("security").EnumerateArray().SelectMany(r => r.EnumerateObject()).Select(p => p.Name));
        Assert.Contains("401", replay.GetProperty("responses").EnumerateObject().Select(r => r.Name));
        Assert.Contains("403", replay.GetProperty("responses").EnumerateObject().Select(r => r.Name));
        Assert.False(paths.GetProperty("/orders").GetProperty("post").TryGetProperty("security", out _));
        Assert.False(paths.GetProperty("/dead-letters").GetProperty("get").TryGetProperty("security", out _));
    }
}

public class Operator_actions_without_keys(UnkeyedHost host) : IClassFixture<UnkeyedHost>
{
    readonly HttpClient _http = host.CreateClient();

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.2")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    public async Task Should_allow_a_loopback_client(string from)
    {
        var response = await _http.SendAsync(OperatorRequests.ReplayOfNothing(from));

        Assert.Equal("Dead letter not found.", (await OperatorRequests.Problem(response, HttpStatusCode.NotFound)).Title);
    }

    [Theory]
    [InlineData(OperatorRequests.Remote, null)]
    [InlineData("10.0.0.5", null)]
    [InlineData("::ffff:10.0.0.5", null)]
    [InlineData("2001:db8::1", "any-key-at-all-0123456789")]
    public async Task Should_refuse_any_other_client_with_403_saying_keys_must_be_configured(string from, string? key)
    {
        var response = await _http.SendAsync(OperatorRequests.ReplayOfNothing(from, key));

        var problem = await OperatorRequests.Problem(response, HttpStatusCode.Forbidden);
        Assert.Contains("No operator keys are configured (Security:OperatorKeys)", problem.Detail);
    }

    [Fact]
    public async Task Should_replay_for_a_loopback_client_as_operator_loopback()
    {
        var id = await OperatorRequests.DeadLetter(host, _http, "replayed-by-loopback");

        var response = await _http.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/dead-letters/{id}/replay").From("127.0.0.1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var replayed = Assert.Single(host.Logs.Events, e => e.MessageTemplate.Text.StartsWith("Dead letter {Id} replayed"));
        Assert.Equal("\"loopback\"", replayed.Properties["Operator"].ToString());
    }

    [Fact]
    public void Should_warn_at_start_up_that_only_loopback_clients_may_act()
    {
        var warning = Assert.Single(host.Logs.Events, e => e.MessageTemplate.Text.StartsWith("No operator keys are configured"));
        Assert.Equal(LogEventLevel.Warning, warning.Level);
        Assert.Contains("only from loopback clients", warning.RenderMessage());
    }
}
