using SagaEngine.Contracts.Schemas;

namespace SagaEngine.Contracts;

/// <remarks>
/// <c>Sequence</c>: this event's place in its order's events (see docs/schemas.md); null when the order predates sequence numbers.
/// </remarks>
[MessageIdentity("sagaengine:inventory-reserved", Version = 2)]
public record InventoryReserved(Guid OrderId, int? Sequence = null);
