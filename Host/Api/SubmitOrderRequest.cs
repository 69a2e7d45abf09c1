namespace SagaEngine.Host.Api;

/// <summary>
/// The body of <c>POST /orders</c>. Every member is nullable so that a missing field is reported by
/// validation, by name, instead of failing deserialization as a whole.
/// </summary>
public record SubmitOrderRequest(
    string? CustomerId,
    string? Currency,
    IReadOnlyList<SubmitOrderItem?>? Items,
    string? PaymentToken);

public record SubmitOrderItem(string? Sku, int? Quantity, decimal? UnitPrice);
