using Microsoft.Extensions.Diagnostics.HealthChecks;
using SagaEngine.Host.Kafka.Clients;

namespace SagaEngine.Host.Kafka.Monitoring;

/// <summary>
/// Ready only while a broker answers a metadata request; degraded (still ready) on the embedded broker,
/// which loses the records in flight when the process stops.
/// </summary>
public class KafkaHealthCheck(KafkaAdmin admin, KafkaCluster cluster) : IHealthCheck
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // librdkafka's metadata call blocks; keep it off the request thread.
            var brokers = await Task.Run(() => admin.Client.GetMetadata(Timeout).Brokers.Count, cancellationToken);
            if (brokers == 0)
                return HealthCheckResult.Unhealthy("No broker answers.");
            return cluster.IsEmbedded
                ? HealthCheckResult.Degraded(KafkaCluster.EmbeddedBrokerWarning)
                : HealthCheckResult.Healthy($"{brokers} brokers answer.");
        }
        catch (Exception e) when (e is Confluent.Kafka.KafkaException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("The Kafka cluster does not answer.", e);
        }
    }
}
