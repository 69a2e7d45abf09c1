using SagaEngine.Contracts.Schemas;

namespace SagaEngine.Contracts;

/// <summary>An order was accepted by the API; starts the order saga.</summary>
[MessageIdentity("sagaengine:order-submitted")]
public record OrderSubmitted(
    Guid OrderId,
    string CustomerId,
    string Currency,
    IReadOnlyList<OrderLine> Items,
    decimal Total,
    string PaymentToken,
    DateTime SubmittedAt);
