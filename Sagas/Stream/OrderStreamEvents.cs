using SagaEngine.Contracts;

namespace SagaEngine.Sagas;

/// <summary>
/// One step of the order, as its stream records it: the event that moved it (or that it acted on without
/// moving), from which state to which, when, and for an operator's action who acted and what they noted.
/// <paramref name="FailureReason"/> is the order's reason once the step was taken (null while it has none).
/// </summary>
public sealed record OrderStepped(
    Guid OrderId, string Event, string From, string To, DateTime At, string? Operator, string? Note, string? FailureReason);

/// <summary>
/// The order stopped waiting for its compensations: <paramref name="Retries"/> retries went unconfirmed,
/// and an operator must retry or resolve it. Says which compensations were still pending.
/// </summary>
public sealed record OrderCompensationFailed(Guid OrderId, int Retries, bool ReleasePending, bool RefundPending);

/// <summary>What the order's stream (<c>order-{orderId}</c>) holds.</summary>
public static class OrderStreamEvents
{
    /// <summary>
    /// The messages the order acts on, recorded as they were consumed (with their sequence numbers), and
    /// the ones it publishes, recorded as they were published.
    /// </summary>
    public static readonly IReadOnlyList<Type> Messages =
    [
        typeof(OrderSubmitted), typeof(InventoryReserved), typeof(InventoryReservationFailed), typeof(InventoryTimedOut),
        typeof(PaymentCharged), typeof(PaymentFailed), typeof(PaymentTimedOut), typeof(InventoryReleased), typeof(PaymentRefunded),
        typeof(CompensationTimedOut), typeof(RetryCompensation), typeof(ResolveOrder), typeof(OrderConfirmed), typeof(OrderCancelled)
    ];

    /// <summary>The order's own records, which no topic carries.</summary>
    public static readonly IReadOnlyList<Type> Own = [typeof(OrderStepped), typeof(OrderCompensationFailed)];
}
