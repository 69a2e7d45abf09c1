using SagaEngine.EventSourcing;

namespace SagaEngine.Consumers.Inventory;

/// <summary>A SKU's counts: what can still be sold and what orders hold.</summary>
public sealed record StockLevel(int Available, int Reserved)
{
    public static readonly StockLevel None = new(0, 0);
}

/// <summary>Folds a SKU's stream (<c>sku-{SKU}</c>) into its counts; the stock row is this fold kept up to date.</summary>
public sealed class StockFold : StreamFold<StockLevel>
{
    public const string StreamCategory = "sku";

    public static readonly StockFold Instance = new();

    public static string StreamId(string sku) => StreamIds.For(StreamCategory, sku);

    public override string Category => StreamCategory;

    public override IReadOnlyList<EventType> EventTypes { get; } =
    [
        EventType.Of<StockReceived>(), EventType.Of<StockReserved>(), EventType.Of<StockReleased>(), EventType.Of<StockCounted>()
    ];

    public override StockLevel Initial => StockLevel.None;

    public override StockLevel Apply(StockLevel state, object @event) => @event switch
    {
        StockReceived e => Apply(state, e),
        StockReserved e => Apply(state, e),
        StockReleased e => Apply(state, e),
        StockCounted e => Apply(state, e),
        _ => state
    };

    public static StockLevel Apply(StockLevel state, StockReceived e) => state with { Available = state.Available + e.Quantity };

    public static StockLevel Apply(StockLevel state, StockReserved e) =>
        new(state.Available - e.Quantity, state.Reserved + e.Quantity);

    public static StockLevel Apply(StockLevel state, StockReleased e) =>
        new(state.Available + e.Quantity, state.Reserved - e.Quantity);

    public static StockLevel Apply(StockLevel _, StockCounted e) => new(e.Available, e.Reserved);
}
