namespace SagaEngine.Host.Kafka.Consuming;

/// <summary>
/// Where the record being consumed came from. Passed to MassTransit with each dispatch, so a consumer
/// can read it with <c>context.ReceiveContext.TryGetPayload&lt;KafkaRecordContext&gt;(out var record)</c>.
/// </summary>
public sealed record KafkaRecordContext(string Endpoint, string Group, string Topic, int Partition, long Offset, string? Key, int Attempt);
