using System.Text.Json.Nodes;
using SagaEngine.Contracts;

namespace SagaEngine.Tests.Messaging;

/// <summary>
/// A message as someone could produce it by hand onto a topic (kcat, a buggy service): the JSON of a
/// valid <paramref name="Type"/> with one field or more made wrong, and the field paths its dead
/// letter must name.
/// </summary>
public sealed record ForgedMessage(string Name, Type Type, string Topic, string Json, string[] Fields)
{
    public override string ToString() => Name;
}

/// <summary>At least one forged message per rule per message type that the saga or a service reads.</summary>
public static class ForgedMessages
{
    const string Orders = "orders.events", InventoryCommands = "inventory.commands", PaymentCommands = "payment.commands",
        InventoryReplies = "inventory.replies", PaymentReplies = "payment.replies";

    const string NoId = "\"00000000-0000-0000-0000-000000000000\"";
    const string OneLine = """[{"sku":"SKU-2","quantity":5,"unitPrice":1.00}]""";
    static readonly string FiftyOneLines = $"[{string.Join(",", Enumerable.Repeat("""{"sku":"SKU-1","quantity":1,"unitPrice":1}""", 51))}]";
    static readonly string LongToken = $"\"{new string('t', 65)}\"";

    /// <summary>A valid message of each type, as the host's own producer writes it (camelCase JSON).</summary>
    public static readonly IReadOnlyDictionary<Type, (string Topic, string Json)> Valid = new Dictionary<Type, (string, string)>
    {
        [typeof(OrderSubmitted)] = (Orders, """{"orderId":"ID","customerId":"cust-1","currency":"EUR","items":[{"sku":"SKU-1","quantity":2,"unitPrice":12.50}],"total":25.00,"paymentToken":"tok_ok","submittedAt":"2026-01-01T00:00:00Z"}"""),
        [typeof(ReserveInventory)] = (InventoryCommands, $$"""{"orderId":"ID","items":{{OneLine}}}"""),
        [typeof(ReleaseInventory)] = (InventoryCommands, """{"orderId":"ID"}"""),
        [typeof(ChargePayment)] = (PaymentCommands, """{"orderId":"ID","amount":25.00,"currency":"EUR","paymentToken":"tok_ok"}"""),
        [typeof(RefundPayment)] = (PaymentCommands, """{"orderId":"ID","amount":25.00,"currency":"EUR"}"""),
        [typeof(InventoryReserved)] = (InventoryReplies, """{"orderId":"ID"}"""),
        [typeof(InventoryReservationFailed)] = (InventoryReplies, """{"orderId":"ID","reason":"out-of-stock"}"""),
        [typeof(InventoryReleased)] = (InventoryReplies, """{"orderId":"ID"}"""),
        [typeof(InventoryTimedOut)] = (Orders, """{"orderId":"ID"}"""),
        [typeof(PaymentCharged)] = (PaymentReplies, """{"orderId":"ID","amount":25.00,"currency":"EUR"}"""),
        [typeof(PaymentFailed)] = (PaymentReplies, """{"orderId":"ID","reason":"payment-declined"}"""),
        [typeof(PaymentTimedOut)] = (Orders, """{"orderId":"ID"}"""),
        [typeof(OrderConfirmed)] = (Orders, """{"orderId":"ID","total":25.00,"currency":"EUR"}"""),
        [typeof(OrderCancelled)] = (Orders, """{"orderId":"ID","reason":"out-of-stock"}""")
    };

    /// <summary>The types the saga or a service consumes, so a forged one reaches a handler's endpoint.</summary>
    public static readonly Type[] Consumed =
    [
        typeof(OrderSubmitted), typeof(ReserveInventory), typeof(ReleaseInventory), typeof(ChargePayment), typeof(RefundPayment),
        typeof(InventoryReserved), typeof(InventoryReservationFailed), typeof(InventoryReleased), typeof(InventoryTimedOut),
        typeof(PaymentCharged), typeof(PaymentFailed), typeof(PaymentTimedOut)
    ];

    public static IEnumerable<ForgedMessage> All =>
    [
        .. Ids<OrderSubmitted>(),
        Forge<OrderSubmitted>("customerId missing", "customerId", null),
        Forge<OrderSubmitted>("customerId with a space", "customerId", "\"cust 1\""),
        Forge<OrderSubmitted>("currency lower-case", "currency", "\"eur\""),
        Forge<OrderSubmitted>("currency missing", "currency", null),
        .. Lines<OrderSubmitted>(),
        Forge<OrderSubmitted>("total 0", "total", "0", "total"),
        Forge<OrderSubmitted>("total with 3 decimals", "total", "25.001", "total"),
        Forge<OrderSubmitted>("total over the limit", "total", "50000000000.01", "total"),
        Forge<OrderSubmitted>("total not the sum of its items", "total", "26.00", "total"),
        Forge<OrderSubmitted>("paymentToken empty", "paymentToken", "\"\""),
        Forge<OrderSubmitted>("paymentToken of 65 characters", "paymentToken", LongToken),
        Forge<OrderSubmitted>("submittedAt missing", "submittedAt", null),
        SequenceZero<OrderSubmitted>("sequence"),

        .. Ids<ReserveInventory>(),
        SequenceZero<ReserveInventory>("replySequence"),
        .. Lines<ReserveInventory>(),
        Forge<ReserveInventory>("every field wrong at once", "orderId", NoId, "orderId", "items[0].quantity", "items[0].sku") with
        {
            Json = $$"""{"orderId":{{NoId}},"items":[{"sku":"sku 2","quantity":-5,"unitPrice":1.00}]}"""
        },

        .. Ids<ReleaseInventory>(),
        SequenceZero<ReleaseInventory>("replySequence"),

        .. Ids<ChargePayment>(),
        SequenceZero<ChargePayment>("replySequence"),
        Forge<ChargePayment>("amount 0", "amount", "0"),
        Forge<ChargePayment>("amount negative", "amount", "-25.00"),
        Forge<ChargePayment>("amount with 3 decimals", "amount", "25.001"),
        Forge<ChargePayment>("amount over the limit", "amount", "50000000000.01"),
        Forge<ChargePayment>("currency of 2 letters", "currency", "\"EU\""),
        Forge<ChargePayment>("currency missing", "currency", null),
        Forge<ChargePayment>("paymentToken empty", "paymentToken", "\"\""),
        Forge<ChargePayment>("paymentToken of 65 characters", "paymentToken", LongToken),
        Forge<ChargePayment>("paymentToken missing", "paymentToken", null),
        Forge<ChargePayment>("customerId with a space", "customerId", "\"cust 1\""),

        .. Ids<RefundPayment>(),
        Forge<RefundPayment>("amount 0", "amount", "0"),
        Forge<RefundPayment>("amount with 3 decimals", "amount", "0.001"),
        Forge<RefundPayment>("amount over the limit", "amount", "50000000000.01"),
        Forge<RefundPayment>("currency of 4 letters", "currency", "\"EURO\""),

        .. Ids<InventoryReserved>(),
        SequenceZero<InventoryReserved>("sequence"),

        .. Ids<InventoryReservationFailed>(),
        SequenceZero<InventoryReservationFailed>("sequence"),
        Forge<InventoryReservationFailed>("reason unknown", "reason", "\"because\""),
        Forge<InventoryReservationFailed>("reason of a payment", "reason", "\"payment-declined\""),
        Forge<InventoryReservationFailed>("reason missing", "reason", null),

        .. Ids<InventoryReleased>(),
        SequenceZero<InventoryReleased>("sequence"),
        .. Ids<InventoryTimedOut>(),
        SequenceZero<InventoryTimedOut>("sequence"),

        .. Ids<PaymentCharged>(),
        SequenceZero<PaymentCharged>("sequence"),
        Forge<PaymentCharged>("amount 0", "amount", "0"),
        Forge<PaymentCharged>("amount with 3 decimals", "amount", "2.555"),
        Forge<PaymentCharged>("amount over the limit", "amount", "50000000000.01"),
        Forge<PaymentCharged>("currency lower-case", "currency", "\"usd\""),

        .. Ids<PaymentFailed>(),
        SequenceZero<PaymentFailed>("sequence"),
        Forge<PaymentFailed>("reason unknown", "reason", "\"because\""),
        Forge<PaymentFailed>("reason of the inventory", "reason", "\"out-of-stock\""),
        Forge<PaymentFailed>("reason missing", "reason", null),

        .. Ids<PaymentTimedOut>(),
        SequenceZero<PaymentTimedOut>("sequence"),

        // Read by no handler today (the projections will), so checked only as rules, not over Kafka.
        .. Ids<OrderConfirmed>(),
        SequenceZero<OrderConfirmed>("sequence"),
        Forge<OrderConfirmed>("total 0", "total", "0"),
        Forge<OrderConfirmed>("currency missing", "currency", null),
        .. Ids<OrderCancelled>(),
        SequenceZero<OrderCancelled>("sequence"),
        Forge<OrderCancelled>("reason unknown", "reason", "\"because\"")
    ];

    /// <summary>The first finding of issue 11: a negative quantity that once changed the stock of SKU-2.</summary>
    public static ForgedMessage NegativeQuantity => All.Single(f => f.Name == "ReserveInventory: items[0].quantity negative");

    static IEnumerable<ForgedMessage> Ids<T>() =>
    [
        Forge<T>("orderId missing", "orderId", null),
        Forge<T>("orderId empty", "orderId", NoId)
    ];

    /// <summary>Sequence numbers start at 1 (docs/schemas.md); a forged 0 is no place in an order's events.</summary>
    static ForgedMessage SequenceZero<T>(string field) => Forge<T>($"{field} 0", field, "0");

    static IEnumerable<ForgedMessage> Lines<T>() =>
    [
        Forge<T>("items missing", "items", null),
        Forge<T>("items empty", "items", "[]"),
        Forge<T>("items 51 lines", "items", FiftyOneLines),
        Forge<T>("items[0] null", "items", "[null]", "items[0]"),
        Forge<T>("items[0].sku lower-case", "items.sku", "\"sku-2\"", "items[0].sku"),
        Forge<T>("items[0].sku missing", "items.sku", null, "items[0].sku"),
        Forge<T>("items[0].quantity negative", "items.quantity", "-5", "items[0].quantity"),
        Forge<T>("items[0].quantity 0", "items.quantity", "0", "items[0].quantity"),
        Forge<T>("items[0].quantity 1001", "items.quantity", "1001", "items[0].quantity"),
        Forge<T>("items[0].unitPrice 0", "items.unitPrice", "0", "items[0].unitPrice"),
        Forge<T>("items[0].unitPrice negative", "items.unitPrice", "-1", "items[0].unitPrice"),
        Forge<T>("items[0].unitPrice with 3 decimals", "items.unitPrice", "12.345", "items[0].unitPrice"),
        Forge<T>("items[0].unitPrice over 1000000", "items.unitPrice", "1000000.01", "items[0].unitPrice")
    ];

    /// <summary>
    /// The valid <typeparamref name="T"/> with the member at <paramref name="path"/> ("field" or
    /// "items.field" for the first line) replaced by <paramref name="json"/>, or removed when null.
    /// </summary>
    static ForgedMessage Forge<T>(string what, string path, string? json, params string[] fields)
    {
        var (topic, valid) = Valid[typeof(T)];
        var message = JsonNode.Parse(valid.Replace("\"ID\"", $"\"{Guid.NewGuid()}\""))!.AsObject();
        var target = message;
        var parts = path.Split('.');
        if (parts.Length == 2)
            target = message[parts[0]]![0]!.AsObject();
        if (json is null)
            target.Remove(parts[^1]);
        else
            target[parts[^1]] = JsonNode.Parse(json);
        return new ForgedMessage($"{typeof(T).Name}: {what}", typeof(T), topic, message.ToJsonString(), fields.Length > 0 ? fields : [path]);
    }
}
