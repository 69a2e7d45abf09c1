namespace SagaEngine.Contracts;

public record OrderCancelled(Guid OrderId, string Reason);
