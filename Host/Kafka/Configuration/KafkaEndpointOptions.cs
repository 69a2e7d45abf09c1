namespace SagaEngine.Host.Kafka.Configuration;

/// <summary>Where one logical endpoint reads from: settings under <c>Kafka:Endpoints:&lt;name&gt;</c>.</summary>
public class KafkaEndpointOptions
{
    /// <summary>The topics it consumes.</summary>
    public List<string> Topics { get; set; } = [];

    /// <summary>Its consumer group: every host running this endpoint shares the topics' partitions within it.</summary>
    public string Group { get; set; } = "";

    /// <summary>Overrides <see cref="KafkaOptions.MaxConcurrentPartitions"/> for this endpoint.</summary>
    public int? MaxConcurrentPartitions { get; set; }

    /// <summary>Overrides <see cref="KafkaOptions.MaxDeliveryAttempts"/> for this endpoint.</summary>
    public int? MaxDeliveryAttempts { get; set; }
}
