namespace SagaEngine.Tests.Kafka.Support;

/// <summary>Topic and group names no other test uses, so tests can share one broker.</summary>
public static class KafkaNames
{
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}";
}
