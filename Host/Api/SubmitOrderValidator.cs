using SagaEngine.Contracts.Validation;

namespace SagaEngine.Host.Api;

/// <summary>
/// The intake rules for an order: the same <see cref="FieldRules"/> that every consumer applies to the
/// messages the order becomes, so the two cannot drift. Every broken rule is reported under its
/// field's JSON path.
/// </summary>
public static class SubmitOrderValidator
{
    static readonly MessageRules<SubmitOrderItem> Item = new MessageRules<SubmitOrderItem>()
        .Field("sku", i => i.Sku, FieldRules.Sku)
        .Field("quantity", i => i.Quantity, FieldRules.Quantity)
        .Field("unitPrice", i => i.UnitPrice, FieldRules.UnitPrice);

    static readonly MessageRules<SubmitOrderRequest> Order = new MessageRules<SubmitOrderRequest>()
        .Field("customerId", r => r.CustomerId, FieldRules.CustomerId)
        .Field("currency", r => r.Currency, FieldRules.Currency)
        .Field("paymentToken", r => r.PaymentToken, FieldRules.PaymentToken)
        .Lines("items", r => r.Items, Item);

    public static Dictionary<string, string[]> Validate(SubmitOrderRequest request) => new(Order.Validate(request));
}
