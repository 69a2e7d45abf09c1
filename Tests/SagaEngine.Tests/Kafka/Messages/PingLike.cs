namespace SagaEngine.Tests.Kafka.Messages;

/// <summary>Shaped exactly like <see cref="Ping"/>: only the message type header tells them apart.</summary>
public record PingLike(Guid Id, string Key, int Sequence, string? Text = null);
