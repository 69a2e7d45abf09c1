using SagaEngine.Contracts;

namespace SagaEngine.Sagas;

static class OrderStateExtensions
{
    public static void Accept(this OrderState order, OrderSubmitted submitted)
    {
        order.CustomerId = submitted.CustomerId;
        order.Currency = submitted.Currency;
        order.Total = submitted.Total;
        order.PaymentToken = submitted.PaymentToken;
        order.Items = submitted.Items
            .Select(i => new OrderStateLine { Sku = i.Sku, Quantity = i.Quantity, UnitPrice = i.UnitPrice })
            .ToList();
        // Created when the API accepted it, so latency figures include the way to the saga.
        order.CreatedAt = submitted.SubmittedAt;
        order.UpdatedAt = submitted.SubmittedAt;
        order.LastSequence = submitted.Sequence;
    }

    public static OrderConfirmed Confirmed(this OrderState order) =>
        order.Raise(new OrderConfirmed(order.CorrelationId, order.Total, order.Currency, order.CustomerId, order.Lines(), order.NextSequence()));

    public static OrderCancelled Cancelled(this OrderState order, string reason) =>
        order.Cancelled(reason, null);

    /// <summary>The cancellation, taking <paramref name="sequence"/> (a number reserved earlier) when given instead of the next one.</summary>
    public static OrderCancelled Cancelled(this OrderState order, string reason, int? sequence) =>
        order.Raise(new OrderCancelled(order.CorrelationId, reason, order.CustomerId, order.Lines(), order.Total, order.Currency,
            sequence ?? order.NextSequence()));

    /// <summary>Notes an event the order publishes, for its stream (see <see cref="OrderStreamFilter"/>).</summary>
    static T Raise<T>(this OrderState order, T @event) where T : class
    {
        order.Raised.Add(@event);
        return @event;
    }

    static List<OrderLine> Lines(this OrderState order) => order.Items.Select(i => new OrderLine(i.Sku, i.Quantity, i.UnitPrice)).ToList();
}
