using MassTransit;
using MassTransit.Transports;

namespace SagaEngine.Host.Kafka.Consuming;

/// <summary>
/// A Kafka receive endpoint as the code declares it: its logical name and the MassTransit sagas and
/// consumers its records are dispatched to. Where it reads from (topics, group) is configuration,
/// under <c>Kafka:Endpoints:&lt;name&gt;</c>.
/// </summary>
public sealed class KafkaEndpointDefinition(string name)
{
    readonly List<KafkaEndpointHandler> _handlers = [];

    public string Name { get; } = name;

    public IReadOnlyList<KafkaEndpointHandler> Handlers => _handlers;

    /// <summary>Dispatches to a saga registered with MassTransit (for a state machine, its instance type).</summary>
    public KafkaEndpointDefinition Saga<TSaga>() where TSaga : class, ISaga =>
        Add(typeof(TSaga), (factory, dispatcherName) => factory.CreateSagaReceiver<TSaga>(dispatcherName),
            ConsumedMessageTypes.OfSaga<TSaga>);

    /// <summary>Dispatches to a consumer registered with MassTransit.</summary>
    public KafkaEndpointDefinition Consumer<TConsumer>() where TConsumer : class, IConsumer =>
        Add(typeof(TConsumer), (factory, dispatcherName) => factory.CreateConsumerReceiver<TConsumer>(dispatcherName),
            ConsumedMessageTypes.OfConsumer<TConsumer>);

    /// <summary>
    /// The name of the MassTransit receive pipeline built for a handler. MassTransit caches those
    /// pipelines by name, so each handler of an endpoint with several needs its own.
    /// </summary>
    public string DispatcherName(KafkaEndpointHandler handler) =>
        _handlers.Count == 1 ? Name : $"{Name}.{handler.Type.Name}";

    KafkaEndpointDefinition Add(Type type, Func<IReceiveEndpointDispatcherFactory, string, IReceiveEndpointDispatcher> create,
        Func<IServiceProvider, IReadOnlyList<Type>> consumedMessageTypes)
    {
        if (_handlers.Any(h => h.Type == type))
            throw new InvalidOperationException($"{type.Name} is already dispatched to by Kafka endpoint '{Name}'.");
        _handlers.Add(new KafkaEndpointHandler(type, create, consumedMessageTypes));
        return this;
    }
}

/// <summary>One saga or consumer type of an endpoint, how MassTransit builds its receive pipeline, and which message types it consumes.</summary>
public sealed record KafkaEndpointHandler(
    Type Type,
    Func<IReceiveEndpointDispatcherFactory, string, IReceiveEndpointDispatcher> CreateDispatcher,
    Func<IServiceProvider, IReadOnlyList<Type>> ConsumedMessageTypes);
