using System.Globalization;

namespace SagaEngine.Contracts.Validation;

/// <summary>
/// The rules of every message, one line per field, checked before a consumer or the saga sees it.
/// A field added to a contract gets its line here (a spec fails until it has one).
/// </summary>
public static class ContractRules
{
    static readonly string[] InventoryFailures = [FailureReasons.UnknownSku, FailureReasons.OutOfStock];
    static readonly string[] PaymentFailures = [FailureReasons.PaymentDeclined, FailureReasons.AmountOverLimit];
    static readonly string[] CancellationReasons =
        [.. InventoryFailures, .. PaymentFailures, FailureReasons.InventoryTimeout, FailureReasons.PaymentTimeout, FailureReasons.ResolvedByOperator];

    public static readonly MessageRules<OrderLine> OrderLine = new MessageRules<OrderLine>()
        .Field("sku", m => m.Sku, FieldRules.Sku)
        .Field("quantity", m => m.Quantity, FieldRules.Quantity)
        .Field("unitPrice", m => m.UnitPrice, FieldRules.UnitPrice);

    public static readonly MessageRules<OrderSubmitted> OrderSubmitted = new MessageRules<OrderSubmitted>()
        .Field("orderId", m => m.OrderId, FieldRules.Id)
        .Field("customerId", m => m.CustomerId, FieldRules.CustomerId)
        .Field("currency", m => m.Currency, FieldRules.Currency)
        .Lines("items", m => m.Items, OrderLine)
        .Field("total", m => m.Total, FieldRules.Amount)
        .Field("paymentToken", m => m.PaymentToken, FieldRules.PaymentToken)
        .Field("submittedAt", m => m.SubmittedAt, FieldRules.Timestamp)
        .Field("sequence", m => m.Sequence, FieldRules.Sequence)
        .Must("total", TotalOfItems);

    public static readonly MessageRules<ReserveInventory> ReserveInventory = new MessageRules<ReserveInventory>()
        .Field("orderId", m => m.OrderId, FieldRules.Id)
        .Lines("items", m => m.Items, OrderLine)
        .Field("replySequence", m => m.ReplySequence, FieldRules.Optional(FieldRules.Sequence));

    public static readonly MessageRules<ReleaseInventory> ReleaseInventory = new MessageRules<ReleaseInventory>()
        .Field("orderId", m => m.OrderId, FieldRules.Id)
        .Field("replySequence", m => m.ReplySequence, FieldRules.Optional(FieldRules.Sequence));

    public static readonly MessageRules<InventoryReserved> InventoryReserved = new MessageRules<InventoryReserved>()
        .Field("orderId", m => m.OrderId, FieldRules.Id)
        .Field("sequence", m => m.Sequence, FieldRules.Optional(FieldRules.Sequence));

    public static readonly MessageRules<InventoryReservationFailed> InventoryReservationFailed = new MessageRules<InventoryReservationFailed>()
        .Field("orderId", m => m.OrderId, FieldRules.Id)
        .Field("reason", m => m.Reason, FieldRules.OneOf(InventoryFailures))
        .Field("sequence", m => m.Sequence, FieldRules.Optional(FieldRules.Sequence));

    public static readonly MessageRules<InventoryReleased> InventoryReleased = new MessageRules<InventoryReleased>()
        .Field("orderId", m => m.OrderId, FieldRules.Id)
        .Field("sequence", m => m.Sequence, FieldRules.Optional(FieldRules.Sequence));

    public static readonly MessageRules<InventoryTimedOut> InventoryTimedOut = new MessageRules<InventoryTimedOut>()
        .Field("orderId", m => m.OrderId, FieldRules.Id)
        .Field("sequence", m => m.Sequence, FieldRules.Optional(FieldRules.Sequence));

    public static readonly MessageRules<ChargePayment> ChargePayment = new MessageRules<ChargePayment>()
        .Field("orderId", m => m.OrderId, FieldRules.Id)
        .Field("amount", m => m.Amount, FieldRules.Amount)
        .Field("currency", m => m.Currency, FieldRules.Currency)
        .Field("paymentToken", m => m.PaymentToken, FieldRules.PaymentToken)
        .Field("replySequence", m => m.ReplySequence, FieldRules.Optional(FieldRules.Sequence))
        .Field("customerId", m => m.CustomerId, FieldRules.Optional(FieldRules.CustomerId));

    public static readonly MessageRules<RefundPayment> RefundPayment = new MessageRules<RefundPayment>()
        .Field("orderId", m => m.OrderId, FieldRules.Id)
        .Field("amount", m => m.Amount, FieldRules.Amount)
        .Field("currency", m => m.Currency, FieldRules.Currency)
        .Field("replySequence", m => m.ReplySequence, FieldRules.Optional(FieldRules.Sequence));

    public static readonly MessageRules<PaymentRefunded> PaymentRefunded = new MessageRules<PaymentRefunded>()
        .Field("orderId", m => m.OrderId, FieldRules.Id)
        .Field("sequence", m => m.Sequence, FieldRules.Optional(FieldRules.Sequence));

    public static readonly MessageRules<CompensationTimedOut> CompensationTimedOut = new MessageRules<CompensationTimedOut>()
        .Field("orderId", m => m.OrderId, FieldRules.Id);

    public static readonly MessageRules<RetryCompensation> RetryCompensation = new MessageRules<RetryCompensation>()
        .Field("orderId", m => m.OrderId, FieldRules.Id)
        .Field("operator", m => m.Operator, FieldRules.Operator);

    public static readonly MessageRules<ResolveOrder> ResolveOrder = new MessageRules<ResolveOrder>()
        .Field("orderId", m => m.OrderId, FieldRules.Id)
        .Field("operator", m => m.Operator, FieldRules.Operator)
        .Field("note", m => m.Note, FieldRules.Note);

    public static readonly MessageRules<PaymentCharged> PaymentCharged = new MessageRules<PaymentCharged>()
        .Field("orderId", m => m.OrderId, FieldRules.Id)
        .Field("amount", m => m.Amount, FieldRules.Amount)
        .Field("currency", m => m.Currency, FieldRules.Currency)
        .Field("sequence", m => m.Sequence, FieldRules.Optional(FieldRules.Sequence));

    public static readonly MessageRules<PaymentFailed> PaymentFailed = new MessageRules<PaymentFailed>()
        .Field("orderId", m => m.OrderId, FieldRules.Id)
        .Field("reason", m => m.Reason, FieldRules.OneOf(PaymentFailures))
        .Field("sequence", m => m.Sequence, FieldRules.Optional(FieldRules.Sequence));

    public static readonly MessageRules<PaymentTimedOut> PaymentTimedOut = new MessageRules<PaymentTimedOut>()
        .Field("orderId", m => m.OrderId, FieldRules.Id)
        .Field("sequence", m => m.Sequence, FieldRules.Optional(FieldRules.Sequence));

    public static readonly MessageRules<OrderConfirmed> OrderConfirmed = new MessageRules<OrderConfirmed>()
        .Field("orderId", m => m.OrderId, FieldRules.Id)
        .Field("total", m => m.Total, FieldRules.Amount)
        .Field("currency", m => m.Currency, FieldRules.Currency)
        .Field("customerId", m => m.CustomerId, FieldRules.Optional(FieldRules.CustomerId))
        .Lines("items", m => m.Items, OrderLine, optional: true)
        .Field("sequence", m => m.Sequence, FieldRules.Optional(FieldRules.Sequence));

    public static readonly MessageRules<OrderCancelled> OrderCancelled = new MessageRules<OrderCancelled>()
        .Field("orderId", m => m.OrderId, FieldRules.Id)
        .Field("reason", m => m.Reason, FieldRules.OneOf(CancellationReasons))
        .Field("customerId", m => m.CustomerId, FieldRules.Optional(FieldRules.CustomerId))
        .Lines("items", m => m.Items, OrderLine, optional: true)
        .Field("total", m => m.Total, FieldRules.Optional(FieldRules.Amount))
        .Field("currency", m => m.Currency, FieldRules.Optional(FieldRules.Currency))
        .Field("sequence", m => m.Sequence, FieldRules.Optional(FieldRules.Sequence));

    /// <summary>Every message's rules (lines are checked as part of their message); declared last, after what it lists.</summary>
    public static readonly IReadOnlyList<IMessageRules> Messages =
    [
        OrderSubmitted, ReserveInventory, ReleaseInventory, InventoryReserved, InventoryReservationFailed, InventoryReleased,
        InventoryTimedOut, ChargePayment, RefundPayment, PaymentCharged, PaymentFailed, PaymentTimedOut, OrderConfirmed, OrderCancelled,
        PaymentRefunded, CompensationTimedOut, RetryCompensation, ResolveOrder
    ];

    static readonly Dictionary<Type, IMessageRules> ByType = Messages.ToDictionary(r => r.MessageType);

    /// <summary>The rules of <paramref name="messageType"/>, or null for a type that is not a contract.</summary>
    public static IMessageRules? For(Type messageType) => ByType.GetValueOrDefault(messageType);

    static string? TotalOfItems(OrderSubmitted m)
    {
        var sum = m.Items.Sum(i => i.Quantity * i.UnitPrice);
        return m.Total == sum ? null : $"Must be the sum of the items' quantity × unitPrice ({sum.ToString(CultureInfo.InvariantCulture)}).";
    }
}
