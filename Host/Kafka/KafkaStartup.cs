using SagaEngine.Host.Kafka.Clients;
using SagaEngine.Host.Kafka.Topics;

namespace SagaEngine.Host.Kafka;

/// <summary>
/// Runs before the Kafka endpoints start: starts the embedded broker when no cluster is configured,
/// says where the cluster is, and creates the configured topics.
/// </summary>
public sealed class KafkaStartup(KafkaCluster cluster, TopicProvisioner topics, ILogger<KafkaStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (cluster.IsEmbedded)
            logger.LogWarning("Embedded Kafka broker listening on {BootstrapServers}. {Warning}", cluster.BootstrapServers,
                KafkaCluster.EmbeddedBrokerWarning);
        else
            logger.LogInformation("Using the Kafka cluster at {BootstrapServers}", cluster.BootstrapServers);

        await topics.Provision(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
