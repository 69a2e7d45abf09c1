namespace SagaEngine.Consumers.Projections.Sales;

/// <summary>One row of the sales read model: what confirmed orders sold of one SKU, in one currency, in one hour (UTC).</summary>
public sealed record SalesBucket
{
    public string Sku { get; init; } = "";

    public string Currency { get; init; } = "";

    /// <summary>The start of the hour (UTC) the orders were confirmed in.</summary>
    public DateTime Hour { get; init; }

    public long Units { get; init; }

    public decimal Revenue { get; init; }

    public int Revision { get; init; }
}

/// <summary>What one confirmed order adds to one bucket.</summary>
public readonly record struct SalesLine(string Sku, string Currency, DateTime Hour, long Units, decimal Revenue);

/// <summary>What the sales read model keeps per order until it is confirmed: its lines, for confirmations that do not carry them (written before version 2).</summary>
public sealed record SalesOrder(IReadOnlyList<SalesOrderLine> Lines);

public sealed record SalesOrderLine(string Sku, int Quantity, decimal UnitPrice);
