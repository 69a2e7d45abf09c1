using SagaEngine.Bench.Api;
using SagaEngine.Bench.Load;
using SagaEngine.Bench.Orders;
using SagaEngine.Bench.Verification;

namespace SagaEngine.Tests.Bench;

/// <summary>
/// The benchmark's verdict on hand-made runs: a clean run passes, and each way of being wrong is caught
/// and named, so a fast run that lost or double-charged orders can never pass as a record.
/// </summary>
public class CorrectnessChecker_Specs
{
    readonly HandMadeRun _run = HandMadeRun.OfEveryKind();

    VerificationReport Check() => new CorrectnessChecker().Check(_run.ToInput());

    [Fact]
    public void Should_pass_a_run_where_everything_ended_as_planned()
    {
        var report = Check();

        Assert.True(report.Passed, string.Join("; ", report.Failures.Select(f => $"{f.Name}: {string.Join(", ", f.Examples)}")));
        Assert.Equal(4, report.OrdersChecked);
    }

    [Fact]
    public void Should_catch_a_lost_order()
    {
        _run.Orders[_run.Confirmed] = null;

        var report = Check();

        Assert.Equal(1, report.CountOf(FailureClasses.Lost));
        Assert.Contains(_run.Confirmed.ToString(), Assert.Single(report.Failures, f => f.Name == FailureClasses.Lost).Examples[0]);
    }

    [Fact]
    public void Should_catch_an_order_that_never_ended()
    {
        _run.Orders[_run.Confirmed] = _run.Orders[_run.Confirmed]! with { State = "AwaitingPayment", History = [] };

        Assert.Equal(1, Check().CountOf(FailureClasses.NotEnded));
    }

    [Fact]
    public void Should_catch_a_wrong_terminal_state()
    {
        _run.Orders[_run.Confirmed] = _run.Orders[_run.Confirmed]! with { State = "Cancelled", FailureReason = "out-of-stock" };

        var report = Check();

        Assert.Equal(1, report.CountOf(FailureClasses.WrongState));
        Assert.False(report.Passed);
    }

    [Fact]
    public void Should_catch_the_right_state_with_the_wrong_reason()
    {
        _run.Orders[_run.Declined] = _run.Orders[_run.Declined]! with { FailureReason = "amount-over-limit" };

        Assert.Equal(1, Check().CountOf(FailureClasses.WrongReason));
    }

    [Fact]
    public void Should_catch_a_double_charge()
    {
        _run.Ledger[_run.Confirmed] = [.. _run.Ledger[_run.Confirmed], new LedgerEntry(_run.Confirmed, LedgerEntry.Charge, 25.00m, "EUR", null)];

        Assert.Equal(1, Check().CountOf(FailureClasses.DoubleCharge));
    }

    [Fact]
    public void Should_catch_a_confirmed_order_without_a_charge_and_a_charge_of_the_wrong_amount()
    {
        _run.Ledger[_run.Confirmed] = [];
        var first = Check();
        _run.Ledger[_run.Confirmed] = [new LedgerEntry(_run.Confirmed, LedgerEntry.Charge, 99m, "EUR", null)];
        var second = Check();

        Assert.Equal(1, first.CountOf(FailureClasses.ChargeMissing));
        Assert.Equal(1, second.CountOf(FailureClasses.WrongChargeAmount));
    }

    [Fact]
    public void Should_catch_a_charge_for_an_order_cancelled_by_inventory_and_a_missing_decline()
    {
        _run.Ledger[_run.OutOfStock] = [new LedgerEntry(_run.OutOfStock, LedgerEntry.Charge, 12.50m, "EUR", null)];
        _run.Ledger[_run.Declined] = [];

        var report = Check();

        Assert.Equal(1, report.CountOf(FailureClasses.UnexpectedCharge));
        Assert.Equal(1, report.CountOf(FailureClasses.DeclineMissing));
    }

    [Fact]
    public void Should_catch_stock_that_does_not_balance()
    {
        // A unit reserved that no confirmed order took: a cancelled order left its reservation behind.
        var level = _run.StockAfter["SKU-1"]!;
        _run.StockAfter["SKU-1"] = level with { Available = level.Available - 1, Reserved = level.Reserved + 1 };

        var report = Check();

        var failure = Assert.Single(report.Failures);
        Assert.Equal(FailureClasses.StockUnbalanced, failure.Name);
        Assert.Contains("SKU-1", failure.Examples[0]);
    }

    [Fact]
    public void Should_catch_an_unknown_sku_that_became_stocked()
    {
        _run.StockAfter[BenchSkus.Unknown] = new StockLevel(BenchSkus.Unknown, 0, 1);

        Assert.Equal(1, Check().CountOf(FailureClasses.StockUnbalanced));
    }

    [Fact]
    public void Should_count_a_refused_order_as_a_failure()
    {
        _run.Submitted.Add(new SubmittedOrder(_run.Plan(OrderKind.Ok, 9), RunPhase.Measured,
            new SubmitOutcome(null, 503, TimeSpan.FromMilliseconds(3), "Service Unavailable")));

        Assert.Equal(1, Check().CountOf(FailureClasses.Refused));
    }
}

/// <summary>
/// A run of four orders, one of each kind, as the host would show it after a correct run; each spec
/// breaks one thing in it.
/// </summary>
sealed class HandMadeRun
{
    static readonly DateTime T0 = new(2026, 11, 26, 9, 0, 0, DateTimeKind.Utc);

    public List<SubmittedOrder> Submitted { get; } = [];
    public Dictionary<Guid, ObservedOrder?> Orders { get; } = [];
    public Dictionary<Guid, IReadOnlyList<LedgerEntry>> Ledger { get; } = [];
    public Dictionary<string, StockLevel?> StockBefore { get; } = [];
    public Dictionary<string, StockLevel?> StockAfter { get; } = [];

    public Guid Confirmed { get; private set; }
    public Guid Declined { get; private set; }
    public Guid OutOfStock { get; private set; }
    public Guid UnknownSku { get; private set; }

    readonly OrderPlanner _planner;

    HandMadeRun()
    {
        var stocked = BenchSkus.Stocked(3);
        foreach (var sku in stocked)
            StockBefore[sku] = new StockLevel(sku, 1_000_000, 0);
        StockBefore[BenchSkus.Scarce] = new StockLevel(BenchSkus.Scarce, 5, 0);
        StockBefore[BenchSkus.Unknown] = null;
        _planner = OrderPlanner.For(OrderMix.Default, stocked, StockBefore);
    }

    public static HandMadeRun OfEveryKind()
    {
        var run = new HandMadeRun();
        run.Confirmed = run.Add(OrderKind.Ok, 1, "Confirmed", null, ["OrderSubmitted", "InventoryReserved", "PaymentCharged"],
            id => [new LedgerEntry(id, LedgerEntry.Charge, run.PlanOf(id).Total, "EUR", null)]);
        run.Declined = run.Add(OrderKind.Decline, 2, "Cancelled", "payment-declined",
            ["OrderSubmitted", "InventoryReserved", "PaymentFailed", "InventoryReleased"],
            id => [new LedgerEntry(id, LedgerEntry.Decline, run.PlanOf(id).Total, "EUR", "payment-declined")]);
        run.OutOfStock = run.Add(OrderKind.OutOfStock, 3, "Cancelled", "out-of-stock", ["OrderSubmitted", "InventoryReservationFailed"], _ => []);
        run.UnknownSku = run.Add(OrderKind.UnknownSku, 4, "Cancelled", "unknown-sku", ["OrderSubmitted", "InventoryReservationFailed"], _ => []);

        // Only the confirmed order keeps stock.
        foreach (var (sku, level) in run.StockBefore)
            run.StockAfter[sku] = level;
        foreach (var line in run.PlanOf(run.Confirmed).Lines)
        {
            var level = run.StockAfter[line.Sku]!;
            run.StockAfter[line.Sku] = level with { Available = level.Available - line.Quantity, Reserved = level.Reserved + line.Quantity };
        }
        return run;
    }

    /// <summary>The first index at or after <paramref name="from"/> whose planned order is of the kind.</summary>
    public PlannedOrder Plan(OrderKind kind, long from)
    {
        for (var index = from; ; index++)
            if (_planner.Plan(index) is { } plan && plan.Kind == kind)
                return plan;
    }

    PlannedOrder PlanOf(Guid id) => Submitted.Single(s => s.Outcome.OrderId == id).Plan;

    Guid Add(OrderKind kind, long from, string state, string? reason, string[] events, Func<Guid, IReadOnlyList<LedgerEntry>> ledger)
    {
        var id = Guid.NewGuid();
        var plan = Plan(kind, from * 100);
        Submitted.Add(new SubmittedOrder(plan, RunPhase.Measured, new SubmitOutcome(id, 202, TimeSpan.FromMilliseconds(2), null)));
        var at = T0;
        var history = new List<OrderTransition>();
        var previous = "Initial";
        foreach (var e in events)
        {
            at = at.AddMilliseconds(5);
            var to = e == events[^1] ? state : $"After{e}";
            history.Add(new OrderTransition(e, previous, to, at));
            previous = to;
        }
        Orders[id] = new ObservedOrder(id, state, reason, plan.Total, T0, history);
        Ledger[id] = ledger(id);
        return id;
    }

    public VerificationInput ToInput() => new(Submitted, Orders, Ledger, StockBefore, StockAfter);
}
