namespace SagaEngine.Contracts;

public record OrderConfirmed(Guid OrderId, decimal Total, string Currency);
