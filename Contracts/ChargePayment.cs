using SagaEngine.Contracts.Schemas;

namespace SagaEngine.Contracts;

/// <summary>Command to the payment service: charge the order's total once.</summary>
[MessageIdentity("sagaengine:charge-payment")]
public record ChargePayment(Guid OrderId, decimal Amount, string Currency, string PaymentToken);
