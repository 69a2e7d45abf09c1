using SagaEngine.Contracts.Schemas;

namespace SagaEngine.Contracts;

[MessageIdentity("sagaengine:order-cancelled")]
public record OrderCancelled(Guid OrderId, string Reason);
