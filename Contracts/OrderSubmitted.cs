using SagaEngine.Contracts.Schemas;

namespace SagaEngine.Contracts;

/// <summary>An order was accepted by the API; starts the order saga.</summary>
/// <remarks><c>Sequence</c> is always 1: the first event of every order.</remarks>
[MessageIdentity("sagaengine:order-submitted", Version = 2)]
public record OrderSubmitted(
    Guid OrderId,
    string CustomerId,
    string Currency,
    IReadOnlyList<OrderLine> Items,
    decimal Total,
    string PaymentToken,
    DateTime SubmittedAt,
    int Sequence = 1);
