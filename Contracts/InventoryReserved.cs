namespace SagaEngine.Contracts;

public record InventoryReserved(Guid OrderId);
