using System.Reflection;
using MassTransit;
using MassTransit.Transports;
using Microsoft.Extensions.DependencyInjection;
using SagaEngine.Contracts;
using SagaEngine.Host.Kafka.Consuming;
using SagaEngine.Sagas;
using SagaEngine.Tests.Kafka.Consumers;
using SagaEngine.Tests.Kafka.Messages;

namespace SagaEngine.Tests.Kafka;

/// <summary>
/// A record goes straight to the handler of its endpoint that consumes its message type, worked out once
/// from what MassTransit knows of each handler; a type no handler consumes is never offered to any.
/// </summary>
public class DispatchRoutes_Specs
{
    readonly IReceiveEndpointDispatcher _pings = Dispatcher();
    readonly IReceiveEndpointDispatcher _pingLikes = Dispatcher();

    DispatchRoutes PingEndpoint() => new([(_pings, [typeof(Ping)]), (_pingLikes, [typeof(PingLike)])]);

    [Fact]
    public void Should_route_each_type_to_the_handler_that_consumes_it_whatever_its_place_on_the_endpoint()
    {
        var routes = PingEndpoint();

        Assert.Same(_pings, routes.For(MessageUrn.ForTypeString<Ping>()));
        Assert.Same(_pingLikes, routes.For(MessageUrn.ForTypeString<PingLike>()));
    }

    [Fact]
    public void Should_route_a_type_no_handler_consumes_nowhere()
    {
        Assert.Null(PingEndpoint().For(MessageUrn.ForTypeString<Unhandled>()));
        Assert.Null(PingEndpoint().For("urn:message:Nowhere:Nothing"));
    }

    [Fact]
    public void Should_route_a_record_naming_several_types_to_the_first_handler_of_the_endpoint_that_consumes_one()
    {
        var routes = PingEndpoint();

        var header = $"{MessageUrn.ForTypeString<Unhandled>()};{MessageUrn.ForTypeString<PingLike>()};{MessageUrn.ForTypeString<Ping>()}";

        Assert.Same(_pings, routes.For(header));
        Assert.Same(_pingLikes, routes.For($"{MessageUrn.ForTypeString<Unhandled>()};{MessageUrn.ForTypeString<PingLike>()}"));
    }

    [Fact]
    public void Should_know_a_consumers_types_from_its_consumer_interfaces()
    {
        var services = new ServiceCollection().BuildServiceProvider();

        Assert.Equal([typeof(Ping)], ConsumedMessageTypes.OfConsumer<PingConsumer>(services));
    }

    [Fact]
    public void Should_know_a_state_machines_types_from_its_correlated_events()
    {
        using var services = new ServiceCollection()
            .AddMassTransit(x => x.AddSagaStateMachine<TripStateMachine, TripState>().InMemoryRepository())
            .BuildServiceProvider();

        Assert.Equal([typeof(TripEnded), typeof(TripStarted)],
            ConsumedMessageTypes.OfSaga<TripState>(services).OrderBy(t => t.Name));
    }

    [Fact]
    public void Should_not_offer_the_order_saga_the_events_it_publishes_on_its_own_topic()
    {
        using var services = new ServiceCollection()
            .AddSingleton(TimeProvider.System)
            .AddLogging()
            .AddMetrics()
            .AddMassTransit(x => x.AddOrderSaga().InMemoryRepository())
            .BuildServiceProvider();

        var consumed = ConsumedMessageTypes.OfSaga<OrderState>(services);

        Assert.Contains(typeof(OrderSubmitted), consumed);
        Assert.Contains(typeof(PaymentCharged), consumed);
        Assert.Contains(typeof(InventoryTimedOut), consumed);
        Assert.DoesNotContain(typeof(OrderConfirmed), consumed);
        Assert.DoesNotContain(typeof(OrderCancelled), consumed);
    }

    static IReceiveEndpointDispatcher Dispatcher() => DispatchProxy.Create<IReceiveEndpointDispatcher, UnusedDispatcher>();

    /// <summary>Only compared by identity: routing never dispatches.</summary>
    public class UnusedDispatcher : DispatchProxy
    {
        protected override object Invoke(MethodInfo? targetMethod, object?[]? args) =>
            throw new NotSupportedException("Routing must not dispatch.");
    }
}
