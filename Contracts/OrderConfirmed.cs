using SagaEngine.Contracts.Schemas;

namespace SagaEngine.Contracts;

/// <summary>The order ended Confirmed: its payment was charged and its stock is reserved for it.</summary>
/// <remarks>
/// <c>CustomerId</c>: null in records written before version 2.<br/>
/// <c>Items</c>: null in records written before version 2.<br/>
/// <c>Sequence</c>: this event's place in its order's events (see docs/schemas.md); null when the order predates sequence numbers.
/// </remarks>
[MessageIdentity("sagaengine:order-confirmed", Version = 2)]
public record OrderConfirmed(
    Guid OrderId,
    decimal Total,
    string Currency,
    string? CustomerId = null,
    IReadOnlyList<OrderLine>? Items = null,
    int? Sequence = null);
