using SagaEngine.Contracts;

namespace SagaEngine.Consumers.Inventory;

/// <summary>The inventory decisions, free of storage so they can be tested on their own.</summary>
public static class StockRules
{
    /// <summary>One quantity per SKU: an order may name a SKU on several lines.</summary>
    public static List<ReservedLine> Combine(IEnumerable<OrderLine> lines) =>
        lines.GroupBy(l => l.Sku)
            .Select(g => new ReservedLine { Sku = g.Key, Quantity = g.Sum(l => l.Quantity) })
            .OrderBy(l => l.Sku, StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// Null when every line can be reserved, otherwise the reason none of them may be: a reservation
    /// is all or nothing.
    /// </summary>
    public static string? WhyNotReservable(IReadOnlyList<ReservedLine> lines, IReadOnlyDictionary<string, StockItem> stock)
    {
        if (lines.Any(l => !stock.ContainsKey(l.Sku)))
            return FailureReasons.UnknownSku;
        if (lines.Any(l => stock[l.Sku].Available < l.Quantity))
            return FailureReasons.OutOfStock;
        return null;
    }
}
