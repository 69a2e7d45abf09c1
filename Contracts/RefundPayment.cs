using SagaEngine.Contracts.Schemas;

namespace SagaEngine.Contracts;

/// <summary>Command to the payment service: give back a charge that arrived after the order was cancelled.</summary>
/// <remarks>
/// <c>ReplySequence</c>: the sequence number <see cref="PaymentRefunded"/> takes (see docs/schemas.md); null when the order
/// predates sequence numbers, and in records written before version 2.
/// </remarks>
[MessageIdentity("sagaengine:refund-payment", Version = 2)]
public record RefundPayment(Guid OrderId, decimal Amount, string Currency, int? ReplySequence = null);
