using SagaEngine.Contracts.Schemas;

namespace SagaEngine.Contracts;

/// <summary>Nothing was reserved. <see cref="Reason"/> is a stable code such as <c>unknown-sku</c> or <c>out-of-stock</c>.</summary>
[MessageIdentity("sagaengine:inventory-reservation-failed")]
public record InventoryReservationFailed(Guid OrderId, string Reason);
