using System.Collections.Concurrent;

namespace SagaEngine.Host.Kafka.Consuming;

/// <summary>The Kafka endpoints running in this process, for monitoring.</summary>
public sealed class KafkaEndpointRegistry
{
    readonly ConcurrentDictionary<KafkaReceiveEndpoint, byte> _running = new();

    public IReadOnlyList<KafkaReceiveEndpoint> Running => _running.Keys.ToList();

    internal void Add(KafkaReceiveEndpoint endpoint) => _running.TryAdd(endpoint, 0);

    internal void Remove(KafkaReceiveEndpoint endpoint) => _running.TryRemove(endpoint, out _);
}
