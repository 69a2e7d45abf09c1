using Confluent.Kafka;
using SagaEngine.Host.Kafka.Clients;

namespace SagaEngine.Host.Kafka.Producing;

/// <summary>
/// Which topics the cluster has, as of the last time this host asked. A record for a topic the cluster
/// does not have would wait in the producer (until <c>topic.metadata.propagation.max.ms</c>, or for
/// ever) and hold up every batch behind it; asked first, a caller can refuse it at once instead.
/// </summary>
public sealed class KafkaTopicDirectory(KafkaAdmin admin, TimeProvider clock, ILogger<KafkaTopicDirectory> logger)
{
    /// <summary>A topic not seen is looked up again at most this often: one that was just created is found within it.</summary>
    static readonly TimeSpan AskAgainAfter = TimeSpan.FromSeconds(1);

    readonly Lock _lock = new();
    IReadOnlySet<string> _known = new HashSet<string>();
    DateTimeOffset _askedAt = DateTimeOffset.MinValue;

    /// <summary>False only when the cluster said, when asked lately, that it has no such topic; true when it could not be asked.</summary>
    public bool Exists(string topic)
    {
        lock (_lock)
        {
            if (_known.Contains(topic) || clock.GetUtcNow() - _askedAt < AskAgainAfter)
                return _known.Contains(topic);
            try
            {
                _known = admin.PartitionCounts().Keys.ToHashSet(StringComparer.Ordinal);
            }
            catch (KafkaException e)
            {
                // Not knowing is not "missing": the producer finds out, and the broker may be back by then.
                logger.LogWarning("Could not read the Kafka cluster's topics: {Reason}", e.Error.Reason);
                return true;
            }
            finally
            {
                _askedAt = clock.GetUtcNow();
            }
            return _known.Contains(topic);
        }
    }
}
