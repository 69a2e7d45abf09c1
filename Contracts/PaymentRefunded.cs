using SagaEngine.Contracts.Schemas;

namespace SagaEngine.Contracts;

/// <summary>The order holds no money any more: its charge was given back (or it was never charged). Sent however often the refund is asked for.</summary>
/// <remarks>
/// <c>Sequence</c>: this event's place in its order's events (see docs/schemas.md), the refund's <c>ReplySequence</c>; null when the
/// order predates sequence numbers.
/// </remarks>
[MessageIdentity("sagaengine:payment-refunded")]
public record PaymentRefunded(Guid OrderId, int? Sequence = null);
