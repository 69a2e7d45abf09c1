using SagaEngine.Contracts.Schemas;

namespace SagaEngine.Contracts;

/// <summary>The order ended Cancelled, after undoing what it had done; <see cref="Reason"/> is one of <see cref="FailureReasons"/>.</summary>
/// <remarks>
/// <c>CustomerId</c>: null in records written before version 2.<br/>
/// <c>Items</c>: null in records written before version 2.<br/>
/// <c>Total</c>: null in records written before version 2.<br/>
/// <c>Currency</c>: null in records written before version 2.<br/>
/// <c>Sequence</c>: this event's place in its order's events (see docs/schemas.md); null when the order predates sequence numbers.
/// </remarks>
[MessageIdentity("sagaengine:order-cancelled", Version = 2)]
public record OrderCancelled(
    Guid OrderId,
    string Reason,
    string? CustomerId = null,
    IReadOnlyList<OrderLine>? Items = null,
    decimal? Total = null,
    string? Currency = null,
    int? Sequence = null);
