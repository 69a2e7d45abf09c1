namespace SagaEngine.Bench.Api;

// The benchmark's own view of the host's JSON: only the fields it reads, so that fields the host adds
// later change nothing here.

public sealed record OrderAcceptedResponse(Guid OrderId, string? State);

public sealed record OrderTransition(string Event, string From, string To, DateTime At);

public sealed record ObservedOrder(
    Guid OrderId,
    string State,
    string? FailureReason,
    decimal Total,
    DateTime CreatedAt,
    IReadOnlyList<OrderTransition> History)
{
    public static readonly IReadOnlySet<string> TerminalStates = new HashSet<string> { "Confirmed", "Cancelled" };

    public bool HasEnded => TerminalStates.Contains(State);

    /// <summary>The transition that ended the order, when it has one; its time is when the order ended.</summary>
    public OrderTransition? TerminalTransition => History.FirstOrDefault(t => TerminalStates.Contains(t.To));
}

/// <summary>Only the state, for polling: the rest of the order is read once, when it is verified.</summary>
public sealed record OrderStateOnly(string State);

public sealed record StockLevel(string Sku, int Available, int Reserved);

public sealed record LedgerEntry(Guid OrderId, string Kind, decimal Amount, string? Currency, string? Reason)
{
    public const string Charge = "Charge";
    public const string Decline = "Decline";
}
