namespace SagaEngine.Bench.Orders;

/// <summary>
/// The SKUs the order mix uses. Stocked SKUs are <c>SKU-1</c> to <c>SKU-N</c>; the host's default
/// <c>Inventory:InitialStock</c> has the first three, and the benchmark stocks a started host with all N.
/// </summary>
public static class BenchSkus
{
    /// <summary>As many as the Wolverine peer's default <c>--skus</c>, so both see the same row contention.</summary>
    public const int DefaultStockedCount = 100;

    /// <summary>What a started host gets of each stocked SKU: the runs never come near it.</summary>
    public const int StockedQuantity = 1_000_000;

    /// <summary>Stocked in the millions: confirmed and declined orders take these, in turn.</summary>
    public static IReadOnlyList<string> Stocked(int count) => [.. Enumerable.Range(1, count).Select(i => $"SKU-{i}")];

    /// <summary>Stocked with a handful: out-of-stock orders ask for one more than it has.</summary>
    public const string Scarce = "SKU-LOW";

    /// <summary>Not stocked at all: unknown-sku orders name it.</summary>
    public const string Unknown = "SKU-NOPE";

    /// <summary>Every SKU whose stock the correctness check compares before and after.</summary>
    public static IReadOnlyList<string> All(int stockedCount) => [.. Stocked(stockedCount), Scarce, Unknown];
}
