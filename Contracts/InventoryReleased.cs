using SagaEngine.Contracts.Schemas;

namespace SagaEngine.Contracts;

[MessageIdentity("sagaengine:inventory-released")]
public record InventoryReleased(Guid OrderId);
