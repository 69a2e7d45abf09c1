using SagaEngine.Contracts;

namespace SagaEngine.Consumers.Projections.CustomerOrders;

/// <summary>
/// How one order's events make its customer-orders row, as a pure function: given the row so far (null
/// before the order's first event) and the next event in sequence order, the row after it.
/// </summary>
public static class CustomerOrdersFold
{
    public static CustomerOrder? Apply(CustomerOrder? order, object @event, DateTime at) => @event switch
    {
        OrderSubmitted e => (order ?? new CustomerOrder { OrderId = e.OrderId, State = CustomerOrderStates.AwaitingInventory, UpdatedAt = e.SubmittedAt })
            with
            {
                CustomerId = e.CustomerId, Total = e.Total, Currency = e.Currency, Lines = e.Items.Count, CreatedAt = e.SubmittedAt
            },
        InventoryReserved when order?.State == CustomerOrderStates.AwaitingInventory =>
            order with { State = CustomerOrderStates.AwaitingPayment, UpdatedAt = at },
        PaymentFailed e when order?.State == CustomerOrderStates.AwaitingPayment =>
            order with { State = CustomerOrderStates.Compensating, FailureReason = e.Reason, UpdatedAt = at },
        PaymentTimedOut when order?.State == CustomerOrderStates.AwaitingPayment =>
            order with { State = CustomerOrderStates.Compensating, FailureReason = FailureReasons.PaymentTimeout, UpdatedAt = at },
        OrderConfirmed e when order is not null || e.CustomerId is not null =>
            Ended(order ?? Placed(e.OrderId, e.CustomerId!, e.Total, e.Currency, e.Items, at), CustomerOrderStates.Confirmed, null, at),
        OrderCancelled e when order is not null || e.CustomerId is not null =>
            Ended(order ?? Placed(e.OrderId, e.CustomerId!, e.Total ?? 0, e.Currency ?? "", e.Items, at), CustomerOrderStates.Cancelled, e.Reason, at),
        _ => order
    };

    static CustomerOrder Ended(CustomerOrder order, string state, string? reason, DateTime at) =>
        CustomerOrderStates.HasEnded(order.State) ? order : order with { State = state, FailureReason = reason, UpdatedAt = at };

    /// <summary>An order whose submission this read model never saw (given up after a gap), placed from its last event.</summary>
    static CustomerOrder Placed(Guid orderId, string customerId, decimal total, string currency, IReadOnlyList<OrderLine>? items, DateTime at) =>
        new() { OrderId = orderId, CustomerId = customerId, Total = total, Currency = currency, Lines = items?.Count ?? 0, CreatedAt = at, UpdatedAt = at };
}
