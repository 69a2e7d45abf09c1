namespace SagaEngine.Contracts;

public record InventoryReleased(Guid OrderId);
