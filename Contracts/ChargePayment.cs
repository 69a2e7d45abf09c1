namespace SagaEngine.Contracts;

/// <summary>Command to the payment service: charge the order's total once.</summary>
public record ChargePayment(Guid OrderId, decimal Amount, string Currency, string PaymentToken);
