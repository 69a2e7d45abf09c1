namespace SagaEngine.Contracts;

/// <summary>Command to the payment service: give back a charge that arrived after the order was cancelled.</summary>
public record RefundPayment(Guid OrderId, decimal Amount, string Currency);
