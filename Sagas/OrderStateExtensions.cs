using SagaEngine.Contracts;

namespace SagaEngine.Sagas;

static class OrderStateExtensions
{
    public static void Accept(this OrderState order, OrderSubmitted submitted, DateTime now)
    {
        order.CustomerId = submitted.CustomerId;
        order.Currency = submitted.Currency;
        order.Total = submitted.Total;
        order.PaymentToken = submitted.PaymentToken;
        order.Items = submitted.Items
            .Select(i => new OrderStateLine { Sku = i.Sku, Quantity = i.Quantity, UnitPrice = i.UnitPrice })
            .ToList();
        order.CreatedAt = now;
        order.UpdatedAt = now;
    }
}
