namespace SagaEngine.Tests.Kafka.Messages;

/// <summary>A generic test message: the n-th of its key.</summary>
public record Ping(Guid Id, string Key, int Sequence, string? Text = null);
