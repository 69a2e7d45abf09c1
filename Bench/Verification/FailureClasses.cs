namespace SagaEngine.Bench.Verification;

/// <summary>The names of the failure classes the correctness check reports, with what each means.</summary>
public static class FailureClasses
{
    public const string Refused = "refused";
    public const string Lost = "lost";
    public const string NotEnded = "not-ended";
    public const string WrongState = "wrong-state";
    public const string WrongReason = "wrong-reason";
    public const string NoTerminalTransition = "no-terminal-transition";
    public const string ChargeMissing = "charge-missing";
    public const string DoubleCharge = "double-charge";
    public const string WrongChargeAmount = "wrong-charge-amount";
    public const string UnexpectedCharge = "unexpected-charge";
    public const string DeclineMissing = "decline-missing";
    public const string UnexpectedDecline = "unexpected-decline";
    public const string StockUnbalanced = "stock-unbalanced";

    public static readonly IReadOnlyDictionary<string, string> Descriptions = new Dictionary<string, string>
    {
        [Refused] = "POST /orders did not answer 202 with an order id",
        [Lost] = "accepted, but GET /orders/{id} does not find the order",
        [NotEnded] = "still not in a terminal state when the drain ended",
        [WrongState] = "ended in the other terminal state than planned",
        [WrongReason] = "ended in the planned state with another reason",
        [NoTerminalTransition] = "in a terminal state, but its history has no transition into it",
        [ChargeMissing] = "confirmed without a Charge in the ledger",
        [DoubleCharge] = "more than one Charge in the ledger for one order",
        [WrongChargeAmount] = "charged an amount other than the order's total",
        [UnexpectedCharge] = "cancelled, yet charged",
        [DeclineMissing] = "cancelled payment-declined without a Decline in the ledger",
        [UnexpectedDecline] = "a Decline in the ledger where none (or only one) belongs",
        [StockUnbalanced] = "a SKU's available/reserved did not move by exactly the confirmed orders' quantities"
    };
}
