using SagaEngine.Contracts.Schemas;

namespace SagaEngine.Contracts;

/// <summary>
/// The saga's own reminder that a compensation it asked for was not confirmed in time; delivered late on
/// purpose. Not an event about the order for readers (it takes no sequence number): the order goes on waiting.
/// </summary>
[MessageIdentity("sagaengine:compensation-timed-out")]
public record CompensationTimedOut(Guid OrderId);
