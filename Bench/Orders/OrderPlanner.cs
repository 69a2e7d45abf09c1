using SagaEngine.Bench.Api;

namespace SagaEngine.Bench.Orders;

/// <summary>
/// Turns an order's index into the order itself. Everything depends on the index and on the stock the
/// host had before the run, so every outcome is known before the order is sent.
/// </summary>
public sealed class OrderPlanner
{
    /// <summary>The host refuses more than this per line (request validation).</summary>
    const int MaxQuantity = 1000;

    const decimal UnitPrice = 12.50m;
    const string Currency = "EUR";
    const string GoodToken = "tok_ok";
    const string DecliningToken = "tok_decline";

    readonly OrderMix _mix;
    readonly IReadOnlyList<string> _stocked;
    readonly int _beyondScarceStock;

    OrderPlanner(OrderMix mix, IReadOnlyList<string> stocked, int beyondScarceStock)
    {
        _mix = mix;
        _stocked = stocked;
        _beyondScarceStock = beyondScarceStock;
    }

    /// <summary>
    /// Checks that the host's stock lets every kind in the mix end as planned, and plans against it.
    /// Out-of-stock orders ask for one more of the scarce SKU than it has; nothing in the mix ever
    /// reserves that SKU, so they stay out of stock for the whole run.
    /// </summary>
    public static OrderPlanner For(OrderMix mix, IReadOnlyList<string> stocked, IReadOnlyDictionary<string, StockLevel?> stock)
    {
        foreach (var sku in stocked)
            if (stock.GetValueOrDefault(sku) is null && (mix.Includes(OrderKind.Ok) || mix.Includes(OrderKind.Decline)))
                throw new BenchSetupException(
                    $"The host does not stock {sku}; the mix needs it (Inventory:InitialStock:{sku}, or fewer --skus).");

        var beyond = 0;
        if (mix.Includes(OrderKind.OutOfStock))
        {
            if (stock.GetValueOrDefault(BenchSkus.Scarce) is not { } scarce)
                throw new BenchSetupException(
                    $"out-of-stock orders need {BenchSkus.Scarce} stocked on the host (Inventory:InitialStock:{BenchSkus.Scarce}).");
            beyond = scarce.Available + 1;
            if (beyond > MaxQuantity)
                throw new BenchSetupException(
                    $"{BenchSkus.Scarce} has {scarce.Available} available; an out-of-stock order would need more than the {MaxQuantity} a line may ask for.");
        }

        if (mix.Includes(OrderKind.UnknownSku) && stock.GetValueOrDefault(BenchSkus.Unknown) is not null)
            throw new BenchSetupException($"The host stocks {BenchSkus.Unknown}; unknown-sku orders need a SKU it does not know.");

        return new OrderPlanner(mix, stocked, beyond);
    }

    public PlannedOrder Plan(long index)
    {
        var kind = _mix.KindOf(index);
        var customer = $"bench-{index % 100}";
        return kind switch
        {
            OrderKind.Ok => new(index, kind, customer, Currency, OkLines(index), GoodToken, Expectation.Confirm),
            OrderKind.Decline => new(index, kind, customer, Currency, [new(Stocked(index), 1, UnitPrice)], DecliningToken,
                Expectation.PaymentDeclined),
            OrderKind.OutOfStock => new(index, kind, customer, Currency, [new(BenchSkus.Scarce, _beyondScarceStock, UnitPrice)],
                GoodToken, Expectation.OutOfStock),
            OrderKind.UnknownSku => new(index, kind, customer, Currency,
                [new(Stocked(index), 1, UnitPrice), new(BenchSkus.Unknown, 1, UnitPrice)], GoodToken, Expectation.UnknownSku),
            _ => throw new ArgumentOutOfRangeException(nameof(index), kind, "Unknown order kind.")
        };
    }

    /// <summary>1-3 of one SKU, and every fifth order a second line, so reservations of several lines are exercised too.</summary>
    IReadOnlyList<PlannedLine> OkLines(long index)
    {
        var first = new PlannedLine(Stocked(index), 1 + (int)(index / 3 % 3), UnitPrice);
        return index % 5 == 0 ? [first, new PlannedLine(Stocked(index + 1), 1, UnitPrice)] : [first];
    }

    string Stocked(long index) => _stocked[(int)(index % _stocked.Count)];
}
