using Microsoft.Extensions.Options;
using SagaEngine.Host.Kafka.Configuration;

namespace SagaEngine.Host.Kafka.Producing;

/// <summary>
/// Which topic a message goes to: a send to <c>queue:&lt;endpoint&gt;</c> goes to that endpoint's first
/// topic; a publish goes to the topic configured for its message type under <c>Kafka:PublishTopics</c>.
/// </summary>
public class KafkaRoutes(IOptions<KafkaOptions> options)
{
    public string ForSend(Uri destination)
    {
        // "queue:inventory" and "loopback://localhost/inventory" both name the endpoint last.
        var endpoint = destination.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
        return options.Value.Endpoints.TryGetValue(endpoint, out var target) && target.Topics.Count > 0
            ? target.Topics[0]
            : throw new InvalidOperationException(
                $"No topic for messages sent to {destination}: {KafkaOptions.Section}:Endpoints:{endpoint}:Topics is not configured.");
    }

    /// <param name="messageTypes">The message's type URNs, most specific first; the first routed one wins.</param>
    public string ForPublish(IReadOnlyList<string> messageTypes)
    {
        foreach (var urn in messageTypes)
            if (options.Value.PublishTopics.TryGetValue(urn[(urn.LastIndexOf(':') + 1)..], out var topic))
                return topic;
        throw new InvalidOperationException(
            $"No topic for published {string.Join(";", messageTypes)}: add it to {KafkaOptions.Section}:PublishTopics.");
    }
}
