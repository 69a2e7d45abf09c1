using MassTransit;
using Microsoft.Extensions.Options;
using SagaEngine.Host.Kafka.Consuming;

namespace SagaEngine.Host.Kafka.Configuration;

/// <summary>
/// Refuses to start when a message type that an endpoint consumes has no <c>Kafka:PublishTopics</c> entry
/// naming one of that endpoint's topics: such a message could never reach the endpoint, and the flow
/// would wait for it until a timeout. Consumed types are those the endpoint dispatches, read from
/// MassTransit's own registrations (<see cref="KafkaEndpointHandler.ConsumedMessageTypes"/>), so a handler
/// that starts consuming a new message cannot be forgotten in the configuration.
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
            foreach (var type in endpoint.Handlers.SelectMany(h => h.ConsumedMessageTypes(services)).Distinct())
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
}
