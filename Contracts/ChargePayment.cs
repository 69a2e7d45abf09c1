namespace SagaEngine.Contracts;

/// <summary>
/// Command to the payment service: charge the order's total once. <paramref name="CustomerId"/> names the
/// account the payment is recorded on; a command without it (written by an earlier release) is charged
/// all the same and recorded on no account.
/// </summary>
public record ChargePayment(Guid OrderId, decimal Amount, string Currency, string PaymentToken, string? CustomerId = null);
