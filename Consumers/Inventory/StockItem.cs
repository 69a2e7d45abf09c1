namespace SagaEngine.Consumers.Inventory;

/// <summary>The inventory service's count of one SKU: what can still be sold and what orders hold.</summary>
public class StockItem
{
    public string Sku { get; set; } = "";

    public int Available { get; set; }

    public int Reserved { get; set; }

    /// <summary>Concurrency token: two reservations of one SKU at once cannot both spend the same stock.</summary>
    public int Version { get; set; }
}
