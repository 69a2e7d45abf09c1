using SagaEngine.Contracts.Schemas;

namespace SagaEngine.Contracts;

/// <summary>Command to the payment service: give back a charge that arrived after the order was cancelled.</summary>
[MessageIdentity("sagaengine:refund-payment")]
public record RefundPayment(Guid OrderId, decimal Amount, string Currency);
