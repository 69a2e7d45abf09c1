using SagaEngine.Contracts.Schemas;

namespace SagaEngine.Contracts;

/// <summary>An operator asks an order whose compensation failed to run it again. <see cref="Operator"/> is the operator key's name.</summary>
[MessageIdentity("sagaengine:retry-compensation")]
public record RetryCompensation(Guid OrderId, string Operator);
