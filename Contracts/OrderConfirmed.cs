using SagaEngine.Contracts.Schemas;

namespace SagaEngine.Contracts;

[MessageIdentity("sagaengine:order-confirmed")]
public record OrderConfirmed(Guid OrderId, decimal Total, string Currency);
