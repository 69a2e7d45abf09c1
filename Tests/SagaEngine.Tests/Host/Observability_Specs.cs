using System.Net;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Host;

public class ObservabilityHost : SagaEngineFactory;

public class Observability_Specs(ObservabilityHost host) : IClassFixture<ObservabilityHost>
{
    readonly OrdersClient _client = new(host.CreateClient());

    [Fact]
    public async Task Should_count_orders_transitions_and_latency_in_prometheus_text()
    {
        await _client.WaitUntilEnded(await _client.Submit());
        await _client.WaitUntilEnded(await _client.Submit(token: "tok_decline"));

        var metrics = await _client.Http.GetStringAsync("/metrics");

        Assert.Matches(@"(?m)^sagaengine_orders_submitted_total(\{[^}]*\})? [1-9]", metrics);
        Assert.Matches(@"(?m)^sagaengine_orders_confirmed_total(\{[^}]*\})? [1-9]", metrics);
        Assert.Matches(@"(?m)^sagaengine_orders_cancelled_total\{[^}]*reason=""payment-declined""[^}]*\} [1-9]", metrics);
        Assert.Matches(@"(?m)^sagaengine_saga_transitions_total\{[^}]*event=""PaymentCharged""[^}]*\} [1-9]", metrics);
        Assert.Matches(@"(?m)^sagaengine_orders_submit_to_terminal_seconds_count(\{[^}]*\})? [2-9]", metrics);
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Should_report_healthy(string url)
    {
        var response = await _client.Http.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }
}
