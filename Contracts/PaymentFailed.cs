using SagaEngine.Contracts.Schemas;

namespace SagaEngine.Contracts;

/// <summary>The charge was declined. <see cref="Reason"/> is <c>payment-declined</c> or <c>amount-over-limit</c>.</summary>
[MessageIdentity("sagaengine:payment-failed")]
public record PaymentFailed(Guid OrderId, string Reason);
