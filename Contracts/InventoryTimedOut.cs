using SagaEngine.Contracts.Schemas;

namespace SagaEngine.Contracts;

/// <summary>The saga's own reminder that the inventory service did not answer in time; delivered late on purpose.</summary>
[MessageIdentity("sagaengine:inventory-timed-out")]
public record InventoryTimedOut(Guid OrderId);
