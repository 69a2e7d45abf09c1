using Microsoft.Extensions.Diagnostics.HealthChecks;
using SagaEngine.Host.Kafka.Clients;

namespace SagaEngine.Host.Kafka.Monitoring;

/// <summary>Ready only while a broker answers a metadata request.</summary>
public class KafkaHealthCheck(KafkaAdmin admin) : IHealthCheck
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // librdkafka's metadata call blocks; keep it off the request thread.
            var brokers = await Task.Run(() => admin.Client.GetMetadata(Timeout).Brokers.Count, cancellationToken);
            return brokers > 0 ? HealthCheckResult.Healthy($"{brokers} brokers answer.") : HealthCheckResult.Unhealthy("No broker answers.");
        }
        catch (Exception e) when (e is Confluent.Kafka.KafkaException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("The Kafka cluster does not answer.", e);
        }
    }
}
