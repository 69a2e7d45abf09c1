using SagaEngine.Contracts.Schemas;

namespace SagaEngine.Contracts;

/// <summary>Command to the inventory service: reserve every line of the order, or none.</summary>
/// <remarks>
/// <c>ReplySequence</c>: the sequence number the reply to this command takes (see docs/schemas.md); null when the order predates sequence numbers.
/// </remarks>
[MessageIdentity("sagaengine:reserve-inventory", Version = 2)]
public record ReserveInventory(Guid OrderId, IReadOnlyList<OrderLine> Items, int? ReplySequence = null);
