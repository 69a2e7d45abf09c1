using MassTransit;
using Microsoft.Extensions.Options;
using SagaEngine.Host.Kafka.Configuration;
using SagaEngine.Host.Kafka.Consuming;

namespace SagaEngine.Host.Messaging.Schemas;

/// <summary>
/// Which Kafka topics carry a message type, as this host routes it: a published message goes to its topic
/// under <c>Kafka:PublishTopics</c>; any other (a command, a scheduled timeout) is sent to the endpoints
/// that consume it, each on its first topic. Empty when the flow does not run on Kafka.
/// </summary>
public sealed class MessageTopics(IOptions<KafkaOptions> options, IEnumerable<KafkaEndpointDefinition> endpoints, IServiceProvider services)
{
    readonly Lazy<IReadOnlyList<(string Topic, HashSet<Type> Consumes)>> _endpoints = new(() =>
        endpoints.Where(e => options.Value.Endpoints.TryGetValue(e.Name, out var o) && o.Topics.Count > 0)
            .Select(e => (options.Value.Endpoints[e.Name].Topics[0], e.Handlers.SelectMany(h => Consumed(h.Type, services)).ToHashSet()))
            .ToList());

    public IReadOnlyList<string> Of(Type messageType)
    {
        if (options.Value.PublishTopics.TryGetValue(messageType.Name, out var published))
            return [published];
        return _endpoints.Value.Where(e => e.Consumes.Contains(messageType)).Select(e => e.Topic).Distinct().ToList();
    }

    /// <summary>A consumer's message types, or the events of a saga's state machine.</summary>
    static IEnumerable<Type> Consumed(Type handler, IServiceProvider services)
    {
        var consumed = handler.GetInterfaces()
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IConsumer<>))
            .Select(i => i.GetGenericArguments()[0]);
        if (typeof(ISaga).IsAssignableFrom(handler) && services.GetService(typeof(SagaStateMachine<>).MakeGenericType(handler)) is StateMachine machine)
            consumed = consumed.Concat(machine.Events.SelectMany(e => e.GetType().GetInterfaces())
                .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(Event<>))
                .Select(i => i.GetGenericArguments()[0]));
        return consumed;
    }
}
