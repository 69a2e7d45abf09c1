namespace SagaEngine.Contracts;

/// <summary>The saga's own reminder that a compensation it asked for was not confirmed in time; delivered late on purpose.</summary>
public record CompensationTimedOut(Guid OrderId);
