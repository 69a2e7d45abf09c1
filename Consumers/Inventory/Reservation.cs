namespace SagaEngine.Consumers.Inventory;

/// <summary>
/// What the inventory service decided for one order. Kept so that a repeated command gets the
/// same answer and changes nothing.
/// </summary>
public class Reservation
{
    public Guid OrderId { get; set; }

    public ReservationStatus Status { get; set; }

    public string? FailureReason { get; set; }

    public List<ReservedLine> Lines { get; set; } = [];

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }
}

public enum ReservationStatus
{
    Reserved,
    Failed,
    Released
}

public class ReservedLine
{
    public string Sku { get; set; } = "";

    public int Quantity { get; set; }
}
