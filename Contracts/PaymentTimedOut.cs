using SagaEngine.Contracts.Schemas;

namespace SagaEngine.Contracts;

/// <summary>The saga's own reminder that the payment service did not answer in time; delivered late on purpose.</summary>
/// <remarks>
/// <c>Sequence</c>: the number of the reply it stands in for: whichever of the two the order accepts first takes that place.
/// </remarks>
[MessageIdentity("sagaengine:payment-timed-out", Version = 2)]
public record PaymentTimedOut(Guid OrderId, int? Sequence = null);
