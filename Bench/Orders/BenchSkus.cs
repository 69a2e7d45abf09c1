namespace SagaEngine.Bench.Orders;

/// <summary>The SKUs the order mix uses; they match the host's default <c>Inventory:InitialStock</c>.</summary>
public static class BenchSkus
{
    /// <summary>Stocked in the millions: confirmed and declined orders take these.</summary>
    public static readonly IReadOnlyList<string> Stocked = ["SKU-1", "SKU-2", "SKU-3"];

    /// <summary>Stocked with a handful: out-of-stock orders ask for one more than it has.</summary>
    public const string Scarce = "SKU-LOW";

    /// <summary>Not stocked at all: unknown-sku orders name it.</summary>
    public const string Unknown = "SKU-NOPE";

    /// <summary>Every SKU whose stock the correctness check compares before and after.</summary>
    public static IReadOnlyList<string> All => [.. Stocked, Scarce, Unknown];
}
