namespace SagaEngine.Tests.Kafka.Messages;

public record TripStarted(Guid TripId, string Name);
