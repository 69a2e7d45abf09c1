namespace SagaEngine.EventSourcing;

/// <summary>An event as stored: its place in the global feed and in its stream, its type and shape, its JSON and metadata.</summary>
public sealed record RecordedEvent(
    long Position, string StreamId, long Version, string Type, int SchemaVersion, string Data, EventMetadata Metadata, DateTime RecordedAt)
{
    /// <summary>When it happened: the time its message was sent, or when it was recorded if it was never one.</summary>
    public DateTime OccurredAt => Metadata.OccurredAt ?? RecordedAt;
}
