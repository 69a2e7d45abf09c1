using SagaEngine.Contracts.Schemas;

namespace SagaEngine.Contracts;

/// <summary>The saga's own reminder that the payment service did not answer in time; delivered late on purpose.</summary>
[MessageIdentity("sagaengine:payment-timed-out")]
public record PaymentTimedOut(Guid OrderId);
