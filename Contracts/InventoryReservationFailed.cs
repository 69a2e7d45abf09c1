using SagaEngine.Contracts.Schemas;

namespace SagaEngine.Contracts;

/// <summary>Nothing was reserved. <see cref="Reason"/> is a stable code such as <c>unknown-sku</c> or <c>out-of-stock</c>.</summary>
/// <remarks>
/// <c>Sequence</c>: this event's place in its order's events (see docs/schemas.md); null when the order predates sequence numbers.
/// </remarks>
[MessageIdentity("sagaengine:inventory-reservation-failed", Version = 2)]
public record InventoryReservationFailed(Guid OrderId, string Reason, int? Sequence = null);
