namespace SagaEngine.Consumers.Projections.CustomerOrders;

/// <summary>One row of the customer-orders read model: an order as its customer lists them.</summary>
public sealed record CustomerOrder
{
    public Guid OrderId { get; init; }

    public string CustomerId { get; init; } = "";

    /// <summary>One of <see cref="CustomerOrderStates"/>.</summary>
    public string State { get; init; } = "";

    public decimal Total { get; init; }

    public string Currency { get; init; } = "";

    /// <summary>How many lines the order has.</summary>
    public int Lines { get; init; }

    public string? FailureReason { get; init; }

    /// <summary>When the order was submitted (UTC).</summary>
    public DateTime CreatedAt { get; init; }

    /// <summary>When its state last changed (UTC).</summary>
    public DateTime UpdatedAt { get; init; }

    public int Revision { get; init; }
}

/// <summary>The states an order goes through, named as the order saga names them.</summary>
public static class CustomerOrderStates
{
    public const string AwaitingInventory = "AwaitingInventory";
    public const string AwaitingPayment = "AwaitingPayment";
    public const string Compensating = "Compensating";
    public const string Confirmed = "Confirmed";
    public const string Cancelled = "Cancelled";

    public static readonly IReadOnlyList<string> All = [AwaitingInventory, AwaitingPayment, Compensating, Confirmed, Cancelled];

    public static bool HasEnded(string state) => state is Confirmed or Cancelled;
}
