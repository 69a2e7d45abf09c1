using SagaEngine.Contracts.Schemas;

namespace SagaEngine.Contracts;

/// <summary>Compensation: put back whatever the order reserved.</summary>
[MessageIdentity("sagaengine:release-inventory")]
public record ReleaseInventory(Guid OrderId);
