namespace SagaEngine.EventSourcing;

/// <summary>What an event records about where it came from, besides its own id.</summary>
public sealed record EventMetadata(Guid MessageId, Guid? CorrelationId, Guid? CausationId, string? TraceParent);
