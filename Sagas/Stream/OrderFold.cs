using System.Text.Json.Nodes;
using SagaEngine.Contracts;
using SagaEngine.Contracts.Schemas;
using SagaEngine.EventSourcing;

namespace SagaEngine.Sagas;

/// <summary>One step of an order's history as its stream tells it.</summary>
public sealed record OrderStep(string Event, string From, string To, DateTime At, string? Operator, string? Note);

public sealed record OrderRecordLine(string Sku, int Quantity, decimal UnitPrice);

/// <summary>An order as its stream tells it up to some event: what <c>GET /orders/{id}</c> shows.</summary>
public sealed record OrderRecord(
    string State, string CustomerId, string Currency, decimal Total, IReadOnlyList<OrderRecordLine> Items, string? FailureReason,
    DateTime CreatedAt, DateTime UpdatedAt, IReadOnlyList<OrderStep> History)
{
    public static readonly OrderRecord None = new("", "", "", 0, [], null, default, default, []);
}

/// <summary>
/// Folds an order's stream (<c>order-{orderId}</c>) into the order as it stood: its submission gives the
/// customer, lines and total, each <see cref="OrderStepped"/> its state, reason and history. The other
/// events say why a step was taken and change nothing here.
/// </summary>
public sealed class OrderFold : StreamFold<OrderRecord>
{
    public const string StreamCategory = "order";

    public static readonly OrderFold Instance = new();

    public static string StreamId(Guid orderId) => StreamIds.For(StreamCategory, orderId.ToString("D"));

    public override string Category => StreamCategory;

    /// <summary>The contracts under their catalog names and current versions (older ones are upcast on read), and the order's own records.</summary>
    public override IReadOnlyList<EventType> EventTypes { get; } =
    [
        .. OrderStreamEvents.Messages.Select(type => MessageCatalog.Messages.Single(m => m.Type == type))
            .Select(m => new EventType(m.ShortName, m.Type, m.Version)),
        .. OrderStreamEvents.Own.Select(type => new EventType(type.Name, type, 1))
    ];

    public override OrderRecord Initial => OrderRecord.None;

    public override OrderRecord Apply(OrderRecord state, object @event) => @event switch
    {
        OrderSubmitted e => state with
        {
            CustomerId = e.CustomerId,
            Currency = e.Currency,
            Total = e.Total,
            Items = e.Items.Select(i => new OrderRecordLine(i.Sku, i.Quantity, i.UnitPrice)).ToList(),
            CreatedAt = e.SubmittedAt,
            UpdatedAt = e.SubmittedAt
        },
        OrderStepped e => state with
        {
            State = e.To,
            FailureReason = e.FailureReason,
            UpdatedAt = e.At,
            History = [.. state.History, new OrderStep(e.Event, e.From, e.To, e.At, e.Operator, e.Note)]
        },
        _ => state
    };
}

/// <summary>A contract's upcasting step, applied to its events in the order's stream as to its records on the wire.</summary>
public sealed class ContractEventUpcaster(CatalogMessage message, IUpcaster step) : IEventUpcaster
{
    public string EventType => message.ShortName;

    public int FromVersion => step.From;

    public JsonObject Upcast(JsonObject data) => step.Upcast(data);
}
