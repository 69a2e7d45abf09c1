using SagaEngine.Contracts.Schemas;

namespace SagaEngine.Contracts;

/// <summary>Command to the inventory service: reserve every line of the order, or none.</summary>
[MessageIdentity("sagaengine:reserve-inventory")]
public record ReserveInventory(Guid OrderId, IReadOnlyList<OrderLine> Items);
