namespace SagaEngine.Bench.Orders;

/// <summary>The kinds of order the benchmark offers, each with an outcome known before it is sent.</summary>
public enum OrderKind
{
    /// <summary>Stocked SKUs and a good token: Confirmed, charged once.</summary>
    Ok,

    /// <summary>The declining test token: reserved, declined, released, Cancelled payment-declined.</summary>
    Decline,

    /// <summary>More of the scarce SKU than it will ever have: Cancelled out-of-stock, nothing reserved or charged.</summary>
    OutOfStock,

    /// <summary>A SKU the host does not stock: Cancelled unknown-sku, nothing reserved or charged.</summary>
    UnknownSku
}

public static class OrderKindNames
{
    /// <summary>The names used by <c>--mix</c>, in the order they are listed.</summary>
    public static readonly IReadOnlyList<(string Name, OrderKind Kind)> All =
    [
        ("ok", OrderKind.Ok),
        ("decline", OrderKind.Decline),
        ("out-of-stock", OrderKind.OutOfStock),
        ("unknown-sku", OrderKind.UnknownSku)
    ];

    public static string NameOf(OrderKind kind) => All.First(k => k.Kind == kind).Name;
}
