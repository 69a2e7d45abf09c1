namespace SagaEngine.Bench.Orders;

public sealed record PlannedLine(string Sku, int Quantity, decimal UnitPrice);

/// <summary>What must be true of an order once it ended: its state and reason, and its traces in stock and ledger.</summary>
public sealed record Expectation(string State, string? Reason, bool Charged, bool Declined)
{
    public const string Confirmed = "Confirmed";
    public const string Cancelled = "Cancelled";

    public static readonly Expectation Confirm = new(Confirmed, null, Charged: true, Declined: false);
    public static readonly Expectation PaymentDeclined = new(Cancelled, "payment-declined", Charged: false, Declined: true);
    public static readonly Expectation OutOfStock = new(Cancelled, "out-of-stock", Charged: false, Declined: false);
    public static readonly Expectation UnknownSku = new(Cancelled, "unknown-sku", Charged: false, Declined: false);

    /// <summary>Only a confirmed order keeps its stock reserved; every other outcome leaves none.</summary>
    public bool KeepsReservation => State == Confirmed;
}

/// <summary>One order as the benchmark will send it, with its outcome decided in advance.</summary>
public sealed record PlannedOrder(
    long Index,
    OrderKind Kind,
    string CustomerId,
    string Currency,
    IReadOnlyList<PlannedLine> Lines,
    string PaymentToken,
    Expectation Expected)
{
    public decimal Total => Lines.Sum(l => l.Quantity * l.UnitPrice);
}
