using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using SagaEngine.Host.Api;
using SagaEngine.Host.Kafka;
using SagaEngine.Host.Kafka.Monitoring;
using SagaEngine.Host.Persistence.Relay;
using SagaEngine.Tests.Kafka.Support;
using SagaEngine.Tests.Support;
using Xunit.Abstractions;

namespace SagaEngine.Tests.Host;

/// <summary>
/// One order, over the embedded Kafka broker, is one trace: the HTTP request, the relay's deliveries,
/// each record's produce and consume, the saga's and the services' consume activities, each the child
/// of the hop before it.
/// </summary>
public class Tracing_Specs(ITestOutputHelper output)
{
    [Fact]
    public async Task Should_follow_one_order_from_the_http_request_through_outbox_kafka_saga_and_services_as_one_trace()
    {
        using var spans = new CollectedSpans();
        await using var host = new SagaEngineFactory();
        var api = new OrdersClient(host.CreateClient());

        // The caller's own trace: every span of the order must continue it.
        var traceId = ActivityTraceId.CreateRandom();
        var callerSpan = ActivitySpanId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/orders")
        {
            Content = new StringContent(OrdersClient.OrderJson(), Encoding.UTF8, "application/json")
        };
        request.Headers.Add("traceparent", $"00-{traceId}-{callerSpan}-01");
        var response = await api.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var orderId = (await response.Content.ReadFromJsonAsync<OrderAccepted>())!.OrderId;
        Assert.Equal("Confirmed", (await api.WaitUntilEnded(orderId)).State);

        // The payment service's consume span is the end of the longest chain: every hop before it is its ancestor.
        var trace = await Eventually.Get(() => spans.Of(traceId),
            t => ChargePayment(t) is { } payment && Ancestors(payment, t).LastOrDefault()?.ParentSpanId == callerSpan,
            "the payment consumer's span, and every span before it, ended in the order's trace");
        var chain = Ancestors(ChargePayment(trace)!, trace);
        foreach (var span in chain)
            output.WriteLine($"{span.Source.Name} | {span.DisplayName} | {span.SpanId} <- {span.ParentSpanId}");

        Assert.Equal(
        [
            "consume ChargePaymentConsumer ChargePayment",
            "process payment.commands", "send payment.commands", "outbox relay",
            "consume OrderStateMachine InventoryReserved",
            "process inventory.replies", "send inventory.replies", "outbox relay",
            "consume ReserveInventoryConsumer ReserveInventory",
            "process inventory.commands", "send inventory.commands", "outbox relay",
            "consume OrderStateMachine OrderSubmitted",
            "process orders.events", "send orders.events", "outbox relay",
            "http request"
        ], chain.Select(Label).OfType<string>());

        // Kafka spans carry the messaging conventions: where the record was, and who consumed it.
        var consumed = chain.Single(s => s.DisplayName == "process inventory.commands");
        var produced = chain.Single(s => s.DisplayName == "send inventory.commands");
        Assert.Equal(("kafka", "inventory.commands", "inventory", ActivityKind.Consumer),
            (Tag(consumed, "messaging.system"), Tag(consumed, "messaging.destination.name"), Tag(consumed, "messaging.kafka.consumer.group"), consumed.Kind));
        Assert.Equal(("kafka", "inventory.commands", ActivityKind.Producer),
            (Tag(produced, "messaging.system"), Tag(produced, "messaging.destination.name"), produced.Kind));
        Assert.Equal((Tag(produced, "messaging.destination.partition.id"), Tag(produced, "messaging.kafka.offset")),
            (Tag(consumed, "messaging.destination.partition.id"), Tag(consumed, "messaging.kafka.offset")));
        Assert.NotNull(Tag(consumed, "messaging.kafka.offset"));

        // Any consumer of the topic, in any language, continues the trace from the record's W3C header.
        var bootstrap = (await api.Http.GetFromJsonAsync<KafkaOverview>("/kafka"))!.BootstrapServers;
        var submitted = PlainKafka.ReadAll(bootstrap, "orders.events", 1).Single();
        Assert.Equal(chain.Single(s => s.DisplayName == "send orders.events").Id, PlainKafka.Header(submitted, "traceparent"));
    }

    static Activity? ChargePayment(List<Activity> trace) =>
        trace.FirstOrDefault(s => Label(s) == "consume ChargePaymentConsumer ChargePayment");

    /// <summary>The span and its parents, nearest first, as far as they are in the trace.</summary>
    static List<Activity> Ancestors(Activity span, List<Activity> trace)
    {
        var bySpanId = trace.ToDictionary(s => s.SpanId);
        var chain = new List<Activity>();
        for (Activity? current = span; current is not null; current = bySpanId.GetValueOrDefault(current.ParentSpanId))
            chain.Add(current);
        return chain;
    }

    /// <summary>
    /// What a span stands for in the flow; null for MassTransit's receive and outbox-send spans, which
    /// sit between the hops asserted.
    /// </summary>
    static string? Label(Activity span) => span.Source.Name switch
    {
        "Microsoft.AspNetCore" when span.Kind == ActivityKind.Server => "http request",
        "MassTransit" when Tag(span, "messaging.operation") == "process" =>
            $"consume {Tag(span, "messaging.masstransit.consumer_type")?.Split('.')[^1]} {Tag(span, "peer.address")?.Split('/')[0]}",
        "MassTransit" => null,
        _ => span.DisplayName
    };

    static string? Tag(Activity span, string name) => span.GetTagItem(name)?.ToString();

    /// <summary>Every span the host's sources (and ASP.NET Core's and MassTransit's) end while it is in use.</summary>
    sealed class CollectedSpans : IDisposable
    {
        static readonly string[] Sources = [OutboxTracing.SourceName, KafkaTracing.SourceName, "MassTransit", "Microsoft.AspNetCore"];

        readonly ConcurrentQueue<Activity> _stopped = new();
        readonly ActivityListener _listener;

        public CollectedSpans()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => Sources.Contains(source.Name),
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = _stopped.Enqueue
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public List<Activity> Of(ActivityTraceId traceId) => _stopped.Where(s => s.TraceId == traceId).ToList();

        public List<Activity> All() => _stopped.ToList();

        public void Dispose() => _listener.Dispose();
    }
}
