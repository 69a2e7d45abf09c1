using SagaEngine.Contracts.Schemas;

namespace SagaEngine.Contracts;

/// <summary>Command to the payment service: charge the order's total once.</summary>
/// <remarks>
/// <c>ReplySequence</c>: the sequence number the reply to this command takes (see docs/schemas.md); null when the order predates sequence numbers.
/// <c>CustomerId</c>: the account the payment is recorded on; a command without it (written by an
/// earlier release) is charged all the same and recorded on no account.
/// </remarks>
[MessageIdentity("sagaengine:charge-payment", Version = 2)]
public record ChargePayment(Guid OrderId, decimal Amount, string Currency, string PaymentToken, int? ReplySequence = null,
    string? CustomerId = null);
