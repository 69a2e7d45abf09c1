namespace SagaEngine.Tests.Kafka.Messages;

/// <summary>A message no test consumer handles.</summary>
public record Unhandled(Guid Id);
