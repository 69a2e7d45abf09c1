using MassTransit;
using MassTransit.Configuration;
using Microsoft.Extensions.Options;
using SagaEngine.Host.Kafka.Consuming;

namespace SagaEngine.Host.Kafka.Configuration;

/// <summary>
/// Refuses to start when a message type that an endpoint consumes has no <c>Kafka:PublishTopics</c> entry
/// naming one of that endpoint's topics: such a message could never reach the endpoint, and the flow
/// would wait for it until a timeout. Consumed types are read from MassTransit's own registrations (a
/// consumer's <c>IConsumer&lt;T&gt;</c>, a state machine's events, a saga's <c>InitiatedBy</c> and the like),
/// so a handler that starts consuming a new message cannot be forgotten in the configuration.
/// </summary>
/// <remarks>
/// Sent messages (commands, a saga's scheduled timeouts) need an entry too: a send goes to its endpoint's
/// first topic whatever the entry says, and the entry says where the message can arrive (and lets it be
/// published as well).
/// </remarks>
public sealed class PublishRoutesValidator(IEnumerable<KafkaEndpointDefinition> endpoints, IServiceProvider services)
    : IValidateOptions<KafkaOptions>
{
    const string S = KafkaOptions.Section;

    public ValidateOptionsResult Validate(string? name, KafkaOptions options)
    {
        var errors = new List<string>();
        foreach (var endpoint in endpoints)
        {
            if (!options.Endpoints.TryGetValue(endpoint.Name, out var topology) || topology.Topics.Count == 0)
                continue;
            var reads = string.Join(", ", topology.Topics);
            foreach (var type in endpoint.Handlers.SelectMany(h => MessageTypes(h.Type)).Distinct())
            {
                var key = RouteKey(type);
                if (!options.PublishTopics.TryGetValue(key, out var topic))
                    errors.Add($"Kafka endpoint '{endpoint.Name}' consumes {key}, but {S}:PublishTopics:{key} is not set: " +
                               $"set it to one of the topics the endpoint reads ({reads}).");
                else if (!topology.Topics.Contains(topic, StringComparer.Ordinal))
                    errors.Add($"Kafka endpoint '{endpoint.Name}' consumes {key}, but {S}:PublishTopics:{key} is '{topic}', which it does not read: " +
                               $"set it to one of {reads}.");
            }
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>The name <c>Kafka:PublishTopics</c> knows a type by: the last part of its message URN, as the routes look it up.</summary>
    static string RouteKey(Type type)
    {
        var urn = MessageUrn.ForTypeString(type);
        return urn[(urn.LastIndexOf(':') + 1)..];
    }

    IEnumerable<Type> MessageTypes(Type handler)
    {
        if (typeof(SagaStateMachineInstance).IsAssignableFrom(handler))
            return Invoke(nameof(OfStateMachine), handler);
        if (typeof(ISaga).IsAssignableFrom(handler))
            return Invoke(nameof(OfSaga), handler);
        return Invoke(nameof(OfConsumer), handler);
    }

    IEnumerable<Type> Invoke(string method, Type handler) =>
        (IEnumerable<Type>)typeof(PublishRoutesValidator).GetMethod(method, System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
            .MakeGenericMethod(handler).Invoke(this, null)!;

    /// <summary>The state machine's events that carry a message: MassTransit connects exactly those.</summary>
    IEnumerable<Type> OfStateMachine<TInstance>() where TInstance : class, SagaStateMachineInstance =>
        services.GetRequiredService<SagaStateMachine<TInstance>>().Correlations.Select(c => c.DataType);

    IEnumerable<Type> OfSaga<TSaga>() where TSaga : class, ISaga =>
        SagaMetadataCache<TSaga>.InitiatedByTypes.Concat(SagaMetadataCache<TSaga>.OrchestratesTypes)
            .Concat(SagaMetadataCache<TSaga>.ObservesTypes).Concat(SagaMetadataCache<TSaga>.InitiatedByOrOrchestratesTypes)
            .Select(t => t.MessageType);

    IEnumerable<Type> OfConsumer<TConsumer>() where TConsumer : class, IConsumer =>
        ConsumerMetadataCache<TConsumer>.ConsumerTypes.Select(t => t.MessageType);
}
