namespace SagaEngine.Tests.Kafka.Messages;

public record TripEnded(Guid TripId);
