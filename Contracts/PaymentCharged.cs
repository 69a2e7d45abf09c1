namespace SagaEngine.Contracts;

public record PaymentCharged(Guid OrderId, decimal Amount, string Currency);
