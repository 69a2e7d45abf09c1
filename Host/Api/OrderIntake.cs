using SagaEngine.Contracts;

namespace SagaEngine.Host.Api;

/// <summary>
/// An order as the API accepted it, committed in the same transaction as the <see cref="OrderSubmitted"/>
/// it publishes. Until the saga has picked the order up, this is what <c>GET /orders/{id}</c> shows.
/// </summary>
public class OrderIntake
{
    public Guid OrderId { get; set; }

    public string CustomerId { get; set; } = "";

    public string Currency { get; set; } = "";

    public decimal Total { get; set; }

    public List<OrderLine> Items { get; set; } = [];

    public DateTime SubmittedAt { get; set; }

    /// <summary>The client's <c>Idempotency-Key</c>, while it is retained; a repeat of the request gets this order back.</summary>
    public string? IdempotencyKey { get; set; }

    /// <summary>A hash of the request the key came with, so that the same key with another body can be refused.</summary>
    public string? RequestHash { get; set; }

    public static OrderIntake From(OrderSubmitted submitted) => new()
    {
        OrderId = submitted.OrderId,
        CustomerId = submitted.CustomerId,
        Currency = submitted.Currency,
        Total = submitted.Total,
        Items = submitted.Items.ToList(),
        SubmittedAt = submitted.SubmittedAt
    };
}
