namespace SagaEngine.Contracts;

/// <summary>The saga's own reminder that the inventory service did not answer in time; delivered late on purpose.</summary>
public record InventoryTimedOut(Guid OrderId);
