using SagaEngine.Contracts.Schemas;

namespace SagaEngine.Contracts;

/// <summary>Command to the payment service: charge the order's total once.</summary>
/// <remarks>
/// <c>ReplySequence</c>: the sequence number the reply to this command takes (see docs/schemas.md); null when the order predates sequence numbers.
/// </remarks>
[MessageIdentity("sagaengine:charge-payment", Version = 2)]
public record ChargePayment(Guid OrderId, decimal Amount, string Currency, string PaymentToken, int? ReplySequence = null);
