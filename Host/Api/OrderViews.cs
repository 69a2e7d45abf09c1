using SagaEngine.Sagas;

namespace SagaEngine.Host.Api;

public record OrderAccepted(Guid OrderId, string State);

public record OrderItemView(string Sku, int Quantity, decimal UnitPrice);

/// <summary>
/// One step of the order's saga (UTC). <c>Operator</c> (the operator key's name) and <c>Note</c> are set
/// on a step an operator's action caused.
/// </summary>
public record OrderTransitionView(string Event, string From, string To, DateTime At, string? Operator = null, string? Note = null);

/// <summary>One order saga as it is now, with every transition that brought it there.</summary>
public record OrderView(
    Guid OrderId,
    string State,
    string CustomerId,
    string Currency,
    decimal Total,
    IReadOnlyList<OrderItemView> Items,
    string? FailureReason,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    IReadOnlyList<OrderTransitionView> History)
{
    public static OrderView From(OrderState o) => new(
        o.CorrelationId, o.CurrentState, o.CustomerId, o.Currency, o.Total,
        o.Items.Select(i => new OrderItemView(i.Sku, i.Quantity, i.UnitPrice)).ToList(),
        o.FailureReason, o.CreatedAt, o.UpdatedAt,
        o.History.Select(h => new OrderTransitionView(h.Event, h.From, h.To, h.At, h.Operator, h.Note)).ToList());

    /// <summary>An order as its stream tells it at some time.</summary>
    public static OrderView From(Guid orderId, OrderRecord o) => new(
        orderId, o.State, o.CustomerId, o.Currency, o.Total,
        o.Items.Select(i => new OrderItemView(i.Sku, i.Quantity, i.UnitPrice)).ToList(),
        o.FailureReason, o.CreatedAt, o.UpdatedAt,
        o.History.Select(h => new OrderTransitionView(h.Event, h.From, h.To, h.At, h.Operator, h.Note)).ToList());

    /// <summary>An accepted order whose saga has not started yet: submitted, with no steps taken.</summary>
    public static OrderView From(OrderIntake i) => new(
        i.OrderId, OrdersApi.SubmittedState, i.CustomerId, i.Currency, i.Total,
        i.Items.Select(l => new OrderItemView(l.Sku, l.Quantity, l.UnitPrice)).ToList(),
        null, i.SubmittedAt, i.SubmittedAt, []);
}

public record OrderSummary(
    Guid OrderId,
    string State,
    string CustomerId,
    string Currency,
    decimal Total,
    string? FailureReason,
    DateTime CreatedAt,
    DateTime UpdatedAt)
{
    public static OrderSummary From(OrderState o) =>
        new(o.CorrelationId, o.CurrentState, o.CustomerId, o.Currency, o.Total, o.FailureReason, o.CreatedAt, o.UpdatedAt);
}

/// <summary>A page of orders, newest first; pass <see cref="Next"/> as <c>after</c> for the following page.</summary>
public record OrderPage(IReadOnlyList<OrderSummary> Items, string? Next);
