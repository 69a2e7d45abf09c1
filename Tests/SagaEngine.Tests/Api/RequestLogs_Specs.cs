using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using Serilog.Events;
using SagaEngine.Host.Persistence;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Api;

/// <summary>A host whose log events a spec reads, at the default level.</summary>
public class RequestLogsHost : SagaEngineFactory
{
    public RequestLogsHost() : base(DatabaseProvider.Sqlite)
    {
        With("Serilog:MinimumLevel:Default", "Information");
        WithServices(s => s.AddSingleton<ILogEventSink>(Logs));
    }

    public CapturedLogEvents Logs { get; } = new();
}

/// <summary>The same, with the request logger lowered to Debug as docs/observability.md says.</summary>
public class VerboseRequestLogsHost : RequestLogsHost
{
    public VerboseRequestLogsHost() => With("Serilog:MinimumLevel:Override:Serilog.AspNetCore.RequestLoggingMiddleware", "Debug");
}

/// <summary>
/// One line per request, but a read that succeeded only at Debug: every order is followed by a long poll, and at
/// Information those lines were half the host's log. Writes and refused or failed requests stay at Information.
/// </summary>
public class RequestLogs_Specs(RequestLogsHost host) : IClassFixture<RequestLogsHost>
{
    readonly OrdersClient _client = new(host.CreateClient());

    [Fact]
    public async Task Should_log_writes_and_refusals_at_information_and_successful_reads_below_it()
    {
        var id = await _client.Submit();
        (await _client.Http.GetAsync($"/orders/{id}")).EnsureSuccessStatusCode();
        var missing = Guid.NewGuid();
        await _client.Http.GetAsync($"/orders/{missing}");

        var post = await Request("POST", "/orders");
        Assert.Equal(LogEventLevel.Information, post.Level);
        var notFound = await Request("GET", $"/orders/{missing}");
        Assert.Equal(LogEventLevel.Information, notFound.Level);
        Assert.Equal("404", notFound.Properties["StatusCode"].ToString());
        Assert.DoesNotContain(host.Logs.Events, e => IsRequest(e, "GET", $"/orders/{id}"));
    }

    [Fact]
    public async Task Should_log_successful_reads_at_debug_where_the_request_logger_is_lowered_to_it()
    {
        await using var verbose = new VerboseRequestLogsHost();
        var client = new OrdersClient(verbose.CreateClient());
        var id = await client.Submit();

        (await client.Http.GetAsync($"/orders/{id}")).EnsureSuccessStatusCode();

        var read = await Eventually.Get(() => verbose.Logs.Events.FirstOrDefault(e => IsRequest(e, "GET", $"/orders/{id}")), e => e is not null,
            "the read's request log line");
        Assert.Equal(LogEventLevel.Debug, read!.Level);
    }

    [Fact]
    public void Should_log_a_successful_read_at_debug_and_a_failed_request_as_an_error()
    {
        Assert.Equal(LogEventLevel.Debug, Level("GET", 200));
        Assert.Equal(LogEventLevel.Debug, Level("HEAD", 304));
        Assert.Equal(LogEventLevel.Information, Level("GET", 400));
        Assert.Equal(LogEventLevel.Information, Level("POST", 202));
        Assert.Equal(LogEventLevel.Error, Level("GET", 503));
        Assert.Equal(LogEventLevel.Error, SagaEngine.Host.LoggingExtensions.RequestLevel(Context("GET", 200), 1, new InvalidOperationException()));
    }

    static LogEventLevel Level(string method, int status) => SagaEngine.Host.LoggingExtensions.RequestLevel(Context(method, status), 1, null);

    static Microsoft.AspNetCore.Http.HttpContext Context(string method, int status)
    {
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        context.Request.Method = method;
        context.Response.StatusCode = status;
        return context;
    }

    async Task<LogEvent> Request(string method, string path) =>
        (await Eventually.Get(() => host.Logs.Events.FirstOrDefault(e => IsRequest(e, method, path)), e => e is not null,
            $"the request log line of {method} {path}"))!;

    static bool IsRequest(LogEvent e, string method, string path) =>
        e.MessageTemplate.Text.StartsWith("HTTP {RequestMethod}", StringComparison.Ordinal)
        && e.Properties.TryGetValue("RequestMethod", out var m) && m.ToString() == $"\"{method}\""
        && e.Properties.TryGetValue("RequestPath", out var p) && p.ToString() == $"\"{path}\"";
}
