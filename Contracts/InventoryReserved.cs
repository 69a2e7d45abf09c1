using SagaEngine.Contracts.Schemas;

namespace SagaEngine.Contracts;

[MessageIdentity("sagaengine:inventory-reserved")]
public record InventoryReserved(Guid OrderId);
