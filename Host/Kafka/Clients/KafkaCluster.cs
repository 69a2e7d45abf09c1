using Microsoft.Extensions.Options;
using SagaEngine.Host.Kafka.Configuration;
using SagaEngine.Host.Kafka.EmbeddedBroker;

namespace SagaEngine.Host.Kafka.Clients;

/// <summary>
/// The Kafka cluster this host talks to: the configured one, or the embedded broker, which is started
/// on first use (normally by <see cref="KafkaStartup"/>) and stopped when the host's services are disposed.
/// </summary>
public sealed class KafkaCluster(IOptions<KafkaOptions> options) : IDisposable
{
    readonly Lock _lock = new();
    EmbeddedKafkaBroker? _broker;
    bool _disposed;

    /// <summary>What a host on the embedded broker says at start-up and in its readiness.</summary>
    public const string EmbeddedBrokerWarning =
        "The embedded Kafka broker keeps records in memory: records in flight are lost when the process stops. " +
        "It is for development and tests; set Kafka:BootstrapServers to a real cluster.";

    public bool IsEmbedded => options.Value.UsesEmbeddedBroker;

    public string BootstrapServers => IsEmbedded ? StartEmbeddedBroker().BootstrapServers : options.Value.BootstrapServers;

    /// <summary>The embedded broker (started if it was not yet), or null when a real cluster is configured.</summary>
    public EmbeddedKafkaBroker? EmbeddedBroker => IsEmbedded ? StartEmbeddedBroker() : null;

    EmbeddedKafkaBroker StartEmbeddedBroker()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _broker ??= EmbeddedKafkaBroker.Start(options.Value.EmbeddedBrokers);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _broker?.Dispose();
            _broker = null;
        }
    }
}
