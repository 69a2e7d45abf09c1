namespace SagaEngine.Consumers.Payment;

/// <summary>One money movement, or a decline, recorded by the payment service for an order.</summary>
public class LedgerEntry
{
    public Guid Id { get; set; }

    public Guid OrderId { get; set; }

    /// <summary>Whose account the entry is recorded on; null for a charge whose command named no customer.</summary>
    public string? CustomerId { get; set; }

    public LedgerEntryKind Kind { get; set; }

    public decimal Amount { get; set; }

    public string Currency { get; set; } = "";

    public string? Reason { get; set; }

    public DateTime RecordedAt { get; set; }
}

public enum LedgerEntryKind
{
    Charge,
    Decline,
    Refund
}
