using System.Diagnostics.Metrics;
using SagaEngine.Host.Kafka.Consuming;

namespace SagaEngine.Host.Kafka.Monitoring;

/// <summary>
/// What the Kafka endpoints of this process count: records dead-lettered (by topic, group and fault)
/// and consumer lag (by group and topic). The lag is read from the endpoints' own book-keeping, which
/// each consume loop refreshes about once a second from librdkafka's cached watermarks: a scrape asks
/// the broker nothing.
/// </summary>
public sealed class KafkaMetrics
{
    public const string MeterName = "SagaEngine.Kafka";

    readonly KafkaEndpointRegistry _registry;
    readonly Counter<long> _deadLetters;

    public KafkaMetrics(IMeterFactory meters, KafkaEndpointRegistry registry)
    {
        _registry = registry;
        var meter = meters.Create(MeterName);
        _deadLetters = meter.CreateCounter<long>("sagaengine.kafka.dead_letters", "{record}",
            "Records dead-lettered, by original topic, consumer group and fault (unreadable, invalid, permanent, attempts-exhausted).");
        meter.CreateObservableGauge("sagaengine.kafka.consumer.lag", ObserveLag, "{record}",
            "Records on this process's assigned partitions not yet processed, by consumer group and topic; " +
            "summed over the group's members, the group's lag.");
    }

    public void DeadLettered(string topic, string group, string fault) =>
        _deadLetters.Add(1, new("topic", topic), new("group", group), new("fault", fault));

    /// <summary>One point per running endpoint's group and topic (0 where this member holds none of its partitions).</summary>
    IEnumerable<Measurement<long>> ObserveLag()
    {
        foreach (var endpoint in _registry.Running)
        {
            var lags = endpoint.Lags;
            foreach (var topic in endpoint.Topology.Topics)
            {
                long lag = 0;
                foreach (var partition in lags)
                    if (partition.Topic == topic)
                        lag += partition.Lag;
                yield return new Measurement<long>(lag, new("group", endpoint.Topology.Group), new("topic", topic));
            }
        }
    }
}
