namespace SagaEngine.Consumers.Inventory;

// The events of a SKU's stream (sku-{SKU}): every change of its counts, in the order they happened.

/// <summary>Stock came in: the configured initial stock (<see cref="StockSources.InitialStock"/>) or a receipt.</summary>
public record StockReceived(int Quantity, string Source);

/// <summary>An order took stock: it moved from available to reserved.</summary>
public record StockReserved(Guid OrderId, int Quantity);

/// <summary>An order's reservation was given back: it moved from reserved to available.</summary>
public record StockReleased(Guid OrderId, int Quantity);

/// <summary>
/// The counts a SKU had when its stream began: a stock row from before the event store, adopted as it
/// was (see <see cref="StockSeeder"/>).
/// </summary>
public record StockCounted(int Available, int Reserved);

public static class StockSources
{
    public const string InitialStock = "initial-stock";
    public const string Receipt = "receipt";
}
