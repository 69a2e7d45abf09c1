namespace SagaEngine.Contracts;

/// <summary>The stable reason codes carried by failure replies and by <see cref="OrderCancelled"/>.</summary>
public static class FailureReasons
{
    public const string UnknownSku = "unknown-sku";
    public const string OutOfStock = "out-of-stock";
    public const string PaymentDeclined = "payment-declined";
    public const string AmountOverLimit = "amount-over-limit";
    public const string InventoryTimeout = "inventory-timeout";
    public const string PaymentTimeout = "payment-timeout";

    /// <summary>An operator ended an order whose compensation failed (<see cref="ResolveOrder"/>).</summary>
    public const string ResolvedByOperator = "resolved-by-operator";
}
