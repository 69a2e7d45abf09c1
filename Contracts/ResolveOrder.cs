using SagaEngine.Contracts.Schemas;

namespace SagaEngine.Contracts;

/// <summary>
/// An operator ends an order whose compensation failed as Cancelled (<c>resolved-by-operator</c>), having
/// seen to what the compensation could not undo. <see cref="Note"/> says what was done.
/// </summary>
[MessageIdentity("sagaengine:resolve-order")]
public record ResolveOrder(Guid OrderId, string Operator, string Note);
