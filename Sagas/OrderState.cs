using MassTransit;

namespace SagaEngine.Sagas;

/// <summary>
/// One order's saga instance. It is kept after the order ends so that "where is order X, and how
/// did it get there?" can always be answered from <see cref="History"/>.
/// </summary>
public class OrderState : SagaStateMachineInstance, ISagaVersion
{
    /// <summary>The order id.</summary>
    public Guid CorrelationId { get; set; }

    public string CurrentState { get; set; } = null!;

    public string CustomerId { get; set; } = "";

    public string Currency { get; set; } = "";

    public decimal Total { get; set; }

    /// <summary>Needed to charge once inventory is reserved; never shown by the API.</summary>
    public string PaymentToken { get; set; } = "";

    public List<OrderStateLine> Items { get; set; } = [];

    public string? FailureReason { get; set; }

    /// <summary>The inventory timeout that is due, if any; a timeout carrying another token is stale.</summary>
    public Guid? InventoryTimeoutToken { get; set; }

    /// <summary>The payment timeout that is due, if any; a timeout carrying another token is stale.</summary>
    public Guid? PaymentTimeoutToken { get; set; }

    /// <summary>Set when a charge arrived after the order gave up on payment and its refund was asked for, so it is asked once.</summary>
    public bool RefundRequested { get; set; }

    /// <summary>The compensation timeout that is due, if any; a timeout carrying another token is stale.</summary>
    public Guid? CompensationTimeoutToken { get; set; }

    /// <summary>How many times the compensation that runs now was asked for again after a timeout.</summary>
    public int CompensationRetries { get; set; }

    /// <summary><c>ReleaseInventory</c> was sent and <c>InventoryReleased</c> has not come back yet.</summary>
    public bool ReleasePending { get; set; }

    /// <summary><c>RefundPayment</c> was sent and <c>PaymentRefunded</c> has not come back yet.</summary>
    public bool RefundPending { get; set; }

    /// <summary>The number reserved for <c>InventoryReleased</c> when the release was first asked for; asked again, it asks for the same.</summary>
    public int? ReleaseSequence { get; set; }

    /// <summary>The number reserved for <c>PaymentRefunded</c> when the refund was first asked for.</summary>
    public int? RefundSequence { get; set; }

    /// <summary>The lowest number reserved for a compensation's reply that has not come (null when none is pending).</summary>
    public int? FirstUnconfirmedSequence() =>
        new[] { ReleasePending ? ReleaseSequence : null, RefundPending ? RefundSequence : null }.Where(n => n is not null).Min();

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public List<OrderTransition> History { get; set; } = [];

    /// <summary>
    /// The last sequence number the order issued: the order is the one sequencer of its events (see
    /// docs/schemas.md). Null for an order started before sequence numbers existed; its events carry none.
    /// </summary>
    public int? LastSequence { get; set; }

    /// <summary>Issues the order's next sequence number, for an event it publishes or the reply to a command it sends.</summary>
    public int? NextSequence() => LastSequence is { } last ? LastSequence = last + 1 : null;

    /// <summary>
    /// The version of the order's stream (<c>order-{id}</c>) once this instance is saved: what the next step
    /// appends after. An order older than the event store starts its stream at its next step.
    /// </summary>
    public long StreamVersion { get; set; }

    /// <summary>
    /// The events the order announced in the step being taken (its confirmation or cancellation), so that
    /// they are recorded in its stream as they were published. Not stored: each step starts it afresh.
    /// </summary>
    public List<object> Raised { get; } = [];

    /// <summary>Moves on with every saved change; two messages that read the same version cannot both save.</summary>
    public int Version { get; set; }
}

public class OrderStateLine
{
    public string Sku { get; set; } = "";

    public int Quantity { get; set; }

    public decimal UnitPrice { get; set; }
}

/// <summary>
/// One step of the saga: which event moved the order from which state to which, and when (UTC); for an
/// operator's action, who acted and what they noted. Steps recorded before operators could act have neither.
/// </summary>
public class OrderTransition
{
    public string Event { get; set; } = "";

    public string From { get; set; } = "";

    public string To { get; set; } = "";

    public DateTime At { get; set; }

    /// <summary>The operator key's name, when an operator's action caused the step.</summary>
    public string? Operator { get; set; }

    /// <summary>What the operator noted with the action, if anything.</summary>
    public string? Note { get; set; }
}
