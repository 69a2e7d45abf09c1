using SagaEngine.Bench.Api;
using SagaEngine.Bench.Load;
using static SagaEngine.Bench.Verification.FailureClasses;

namespace SagaEngine.Bench.Verification;

/// <summary>
/// Decides whether a run was correct: every accepted order ended as planned, the ledger holds exactly
/// what those outcomes imply, and stock moved by exactly the confirmed orders' quantities. A run that
/// fails here is reported as a failure whatever its speed.
/// </summary>
/// <remarks>
/// The ledger of an order is judged only once the order ended in its planned state: a wrong state is
/// already a failure, and judging its ledger against the plan would count one fault twice. A second
/// Charge is never right, so it is reported for every order. Stock is judged against the plan alone:
/// an order stuck half-way that holds stock shows up there as well, as it should.
/// </remarks>
public sealed class CorrectnessChecker
{
    const int ExamplesPerClass = 5;

    public VerificationReport Check(VerificationInput input)
    {
        var failures = new Failures();
        var accepted = new List<SubmittedOrder>();

        foreach (var order in input.Submitted)
        {
            if (order.Outcome.OrderId is not { } id)
            {
                failures.Add(Refused, $"order #{order.Plan.Index}: {order.Outcome.StatusCode?.ToString() ?? "no answer"} {order.Outcome.Error}");
                continue;
            }
            accepted.Add(order);
            if (CheckState(order, id, input.Orders.GetValueOrDefault(id), failures))
                CheckLedger(order, id, input.Ledger.GetValueOrDefault(id) ?? [], failures);
            else
                CheckNoDoubleCharge(id, input.Ledger.GetValueOrDefault(id) ?? [], failures);
        }

        CheckStock(accepted, input.StockBefore, input.StockAfter, failures);
        return new VerificationReport(input.Submitted.Count, failures.ToList());
    }

    /// <summary>True when the order ended in its planned state with its planned reason.</summary>
    static bool CheckState(SubmittedOrder order, Guid id, ObservedOrder? observed, Failures failures)
    {
        var expected = order.Plan.Expected;
        if (observed is null)
        {
            failures.Add(Lost, $"{id} ({order.Plan.Kind})");
            return false;
        }
        if (!observed.HasEnded)
        {
            failures.Add(NotEnded, $"{id}: {observed.State}");
            return false;
        }
        if (observed.TerminalTransition is null)
            failures.Add(NoTerminalTransition, $"{id}: {observed.State} with {observed.History.Count} transitions");
        if (observed.State != expected.State)
        {
            failures.Add(WrongState, $"{id}: expected {expected.State}, was {observed.State} ({observed.FailureReason})");
            return false;
        }
        if (observed.FailureReason != expected.Reason)
        {
            failures.Add(WrongReason, $"{id}: expected {expected.Reason ?? "none"}, was {observed.FailureReason ?? "none"}");
            return false;
        }
        return true;
    }

    static void CheckLedger(SubmittedOrder order, Guid id, IReadOnlyList<LedgerEntry> entries, Failures failures)
    {
        var expected = order.Plan.Expected;
        var charges = entries.Where(e => e.Kind == LedgerEntry.Charge).ToList();
        var declines = entries.Count(e => e.Kind == LedgerEntry.Decline);

        if (expected.Charged)
        {
            if (charges.Count == 0)
                failures.Add(ChargeMissing, $"{id}");
            else if (charges.Any(c => c.Amount != order.Plan.Total))
                failures.Add(WrongChargeAmount, $"{id}: total {order.Plan.Total}, charged {string.Join(" + ", charges.Select(c => c.Amount))}");
        }
        else if (charges.Count > 0)
        {
            failures.Add(UnexpectedCharge, $"{id}: {order.Plan.Expected.Reason}, charged {charges.Sum(c => c.Amount)}");
        }
        CheckNoDoubleCharge(id, entries, failures);

        if (expected.Declined && declines == 0)
            failures.Add(DeclineMissing, $"{id}");
        else if (declines > (expected.Declined ? 1 : 0))
            failures.Add(UnexpectedDecline, $"{id}: {declines} declines for {expected.Reason ?? expected.State}");
    }

    static void CheckNoDoubleCharge(Guid id, IReadOnlyList<LedgerEntry> entries, Failures failures)
    {
        var charges = entries.Count(e => e.Kind == LedgerEntry.Charge);
        if (charges > 1)
            failures.Add(DoubleCharge, $"{id}: {charges} charges");
    }

    /// <summary>
    /// Only confirmed orders keep stock: available goes down and reserved goes up by their quantities,
    /// and by nothing else. A SKU the host did not stock before must still be unknown after.
    /// </summary>
    static void CheckStock(IReadOnlyList<SubmittedOrder> accepted, IReadOnlyDictionary<string, StockLevel?> before,
        IReadOnlyDictionary<string, StockLevel?> after, Failures failures)
    {
        var kept = accepted.Where(o => o.Plan.Expected.KeepsReservation)
            .SelectMany(o => o.Plan.Lines)
            .GroupBy(l => l.Sku)
            .ToDictionary(g => g.Key, g => g.Sum(l => l.Quantity));

        foreach (var sku in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            var was = before.GetValueOrDefault(sku);
            var now = after.GetValueOrDefault(sku);
            var delta = kept.GetValueOrDefault(sku);
            if (was is null || now is null)
            {
                if (was is not null || now is not null || delta != 0)
                    failures.Add(StockUnbalanced, $"{sku}: {Describe(was)} before, {Describe(now)} after, {delta} confirmed");
                continue;
            }
            if (now.Available != was.Available - delta || now.Reserved != was.Reserved + delta)
                failures.Add(StockUnbalanced,
                    $"{sku}: expected available {was.Available - delta} reserved {was.Reserved + delta}, " +
                    $"was available {now.Available} reserved {now.Reserved}");
        }
    }

    static string Describe(StockLevel? stock) =>
        stock is null ? "not stocked" : $"available {stock.Available} reserved {stock.Reserved}";

    /// <summary>Counts per class, in the order the classes were first met, with a few examples each.</summary>
    sealed class Failures
    {
        readonly Dictionary<string, (int Count, List<string> Examples)> _byClass = new();
        readonly List<string> _order = [];

        public void Add(string failureClass, string example)
        {
            if (!_byClass.TryGetValue(failureClass, out var entry))
            {
                entry = (0, []);
                _order.Add(failureClass);
            }
            if (entry.Examples.Count < ExamplesPerClass)
                entry.Examples.Add(example);
            _byClass[failureClass] = (entry.Count + 1, entry.Examples);
        }

        public List<FailureClass> ToList() =>
            _order.Select(c => new FailureClass(c, Descriptions[c], _byClass[c].Count, _byClass[c].Examples)).ToList();
    }
}
