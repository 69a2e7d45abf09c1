using SagaEngine.Bench.Api;
using SagaEngine.Bench.Load;

namespace SagaEngine.Bench.Verification;

/// <summary>
/// Everything the correctness check looks at, read from the host after the drain: each accepted
/// order as the host now shows it (null when the host does not know it), its ledger entries, and the
/// stock of every SKU the mix uses before the first order and after the last.
/// </summary>
public sealed record VerificationInput(
    IReadOnlyList<SubmittedOrder> Submitted,
    IReadOnlyDictionary<Guid, ObservedOrder?> Orders,
    IReadOnlyDictionary<Guid, IReadOnlyList<LedgerEntry>> Ledger,
    IReadOnlyDictionary<string, StockLevel?> StockBefore,
    IReadOnlyDictionary<string, StockLevel?> StockAfter);
