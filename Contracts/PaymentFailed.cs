using SagaEngine.Contracts.Schemas;

namespace SagaEngine.Contracts;

/// <summary>The charge was declined. <see cref="Reason"/> is <c>payment-declined</c> or <c>amount-over-limit</c>.</summary>
/// <remarks>
/// <c>Sequence</c>: this event's place in its order's events (see docs/schemas.md); null when the order predates sequence numbers.
/// </remarks>
[MessageIdentity("sagaengine:payment-failed", Version = 2)]
public record PaymentFailed(Guid OrderId, string Reason, int? Sequence = null);
