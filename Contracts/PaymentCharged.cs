using SagaEngine.Contracts.Schemas;

namespace SagaEngine.Contracts;

[MessageIdentity("sagaengine:payment-charged")]
public record PaymentCharged(Guid OrderId, decimal Amount, string Currency);
