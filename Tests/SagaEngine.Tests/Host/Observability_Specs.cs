using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Confluent.Kafka;
using SagaEngine.Host.Health;
using SagaEngine.Host.Kafka.Clients;
using SagaEngine.Host.Kafka.Monitoring;
using SagaEngine.Tests.Kafka.Support;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Host;

/// <summary>
/// The host in a process of its own, as in production. In the test process OpenTelemetry would merge
/// the same-named instruments of every host running there, and drop a metric from <c>/metrics</c> as
/// soon as any one of those hosts stopped: what another spec does must not decide what this one reads.
/// </summary>
public sealed class ObservabilityHost : IAsyncLifetime
{
    readonly TestDatabase _database = new(SagaEngine.Host.Persistence.DatabaseProvider.Sqlite);

    public HostProcess Process { get; private set; } = null!;

    public async Task InitializeAsync() => Process = await HostProcess.Start(_database.Settings);

    public async Task DisposeAsync()
    {
        await Process.DisposeAsync();
        await _database.DisposeAsync();
    }
}

public class Observability_Specs(ObservabilityHost host) : IClassFixture<ObservabilityHost>
{
    readonly OrdersClient _client = new(host.Process.Client);

    [Fact]
    public async Task Should_count_orders_transitions_and_latency_in_prometheus_text()
    {
        await _client.WaitUntilEnded(await _client.Submit());
        await _client.WaitUntilEnded(await _client.Submit(token: "tok_decline"));

        string[] expected =
        [
            @"(?m)^sagaengine_orders_submitted_total(\{[^}]*\})? [1-9]",
            @"(?m)^sagaengine_orders_confirmed_total(\{[^}]*\})? [1-9]",
            @"(?m)^sagaengine_orders_cancelled_total\{[^}]*reason=""payment-declined""[^}]*\} [1-9]",
            @"(?m)^sagaengine_saga_transitions_total\{[^}]*event=""PaymentCharged""[^}]*\} [1-9]",
            @"(?m)^sagaengine_orders_submit_to_terminal_seconds_count(\{[^}]*\})? [2-9]"
        ];
        // The exporter serves a scrape from its cache for 300 ms: a scrape just before the orders ended may be repeated.
        var metrics = await Eventually.Get(Metrics, m => expected.All(e => Regex.IsMatch(m, e)), "every order metric in /metrics", seconds: 5);

        Assert.All(expected, e => Assert.Matches(e, metrics));
    }

    [Fact]
    public async Task Should_show_outbox_pending_relay_delay_consumer_lag_per_group_and_dead_letters_in_prometheus_text()
    {
        await _client.WaitUntilEnded(await _client.Submit());
        const string deadLetters = @"(?m)^sagaengine_kafka_dead_letters_total\{(?=[^}]*fault=""unreadable"")(?=[^}]*group=""order-saga"")(?=[^}]*topic=""orders.events"")[^}]*\} (\d+)";
        var before = Value(await Metrics(), deadLetters);

        // A record no consumer can read (no message type header, no JSON): dead-lettered by the saga's group.
        var bootstrap = (await _client.Http.GetFromJsonAsync<KafkaOverview>("/kafka"))!.BootstrapServers;
        using (var producer = PlainKafka.Producer(bootstrap))
            await producer.ProduceAsync("orders.events", new Message<string, byte[]> { Key = "garbage", Value = Encoding.UTF8.GetBytes("not json") });

        var metrics = await Eventually.Get(Metrics, m => Value(m, deadLetters) > before, "the dead letter counted");

        Assert.Matches(@"(?m)^sagaengine_outbox_pending(\{[^}]*\})? \d+$", metrics);
        Assert.Matches(@"(?m)^sagaengine_outbox_relay_delay_seconds_count(\{[^}]*\})? [1-9]", metrics);
        Assert.Matches(@"(?m)^sagaengine_outbox_relay_delay_seconds_bucket\{[^}]*le=""0.01""[^}]*\} \d+", metrics);
        foreach (var (group, topic) in new[]
                 {
                     ("order-saga", "orders.events"), ("order-saga", "inventory.replies"), ("order-saga", "payment.replies"),
                     ("inventory", "inventory.commands"), ("payment", "payment.commands")
                 })
            Assert.Matches($@"(?m)^sagaengine_kafka_consumer_lag\{{(?=[^}}]*group=""{group}"")(?=[^}}]*topic=""{Regex.Escape(topic)}"")[^}}]*\}} \d+$",
                metrics);
    }

    [Fact]
    public async Task Should_show_each_projections_lag_position_state_and_events_in_prometheus_text()
    {
        await _client.WaitUntilEnded(await _client.Submit());
        await new SagaEngine.Tests.Projections.ReadModelsClient(_client.Http).WaitUntilCaughtUp();
        const string applied = "outcome=\"applied\"";

        var metrics = await Eventually.Get(Metrics, m => Regex.IsMatch(m, Projection("sagaengine_projection_events_total", "sales", applied) + " [1-9]"),
            "the projections' metrics", seconds: 10);

        foreach (var name in new[] { "customer-orders", "sales", "order-stats" })
        {
            Assert.Matches(Projection("sagaengine_projection_lag", name) + @" \d+$", metrics);
            Assert.Matches(Projection(@"sagaengine_projection_lag_time\w*", name) + @" \d+$", metrics);
            Assert.Matches(Projection("sagaengine_projection_position", name) + " [1-9][0-9]*$", metrics);
            Assert.Matches(Projection("sagaengine_projection_state", name, "state=\"live\"") + " 1$", metrics);
            Assert.Matches(Projection("sagaengine_projection_state", name, "state=\"failed\"") + " 0$", metrics);
            Assert.Matches(Projection("sagaengine_projection_events_total", name, applied) + " [1-9]", metrics);
        }
    }

    /// <summary>A metric's line for one projection (and optionally one more label), whatever other labels it has.</summary>
    static string Projection(string metric, string projection, string? label = null) =>
        $@"(?m)^{metric}\{{(?=[^}}]*projection=""{Regex.Escape(projection)}""){(label is null ? "" : $"(?=[^}}]*{label})")}[^}}]*\}}";

    Task<string> Metrics() => _client.Http.GetStringAsync("/metrics");

    static long Value(string metrics, string pattern) =>
        Regex.Matches(metrics, pattern).Sum(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));

    [Fact]
    public async Task Should_report_live()
    {
        var response = await _client.Http.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Should_report_ready_but_degraded_on_the_embedded_broker_saying_why()
    {
        var response = await _client.Http.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = (await response.Content.ReadFromJsonAsync<HealthReportJson.ReportView>())!;
        Assert.Equal("Degraded", report.Status);
        var kafka = Assert.Single(report.Checks, c => c.Name == "kafka");
        Assert.Equal(("Degraded", KafkaCluster.EmbeddedBrokerWarning), (kafka.Status, kafka.Description));
        Assert.All(report.Checks.Where(c => c.Name != "kafka"), c => Assert.Equal("Healthy", c.Status));
    }

    [Fact]
    public void Should_warn_at_start_up_that_records_in_flight_are_lost_when_the_process_stops()
    {
        Assert.Matches(@" WRN\] SagaEngine.Host.Kafka.KafkaStartup: Embedded Kafka broker listening on .*records in flight are lost when the process stops",
            host.Process.Output);
    }
}
