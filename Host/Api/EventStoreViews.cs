using System.Text.Json;
using SagaEngine.EventSourcing;
using SagaEngine.Host.EventStore;

namespace SagaEngine.Host.Api;

public record EventMetadataView(Guid MessageId, Guid? CorrelationId, Guid? CausationId, string? TraceParent);

/// <summary>
/// One stored event: its place in the global feed and in its stream, its type and shape, its data as written, when it
/// was recorded and when it happened (for an event that travelled as a message, when that was sent).
/// </summary>
public record EventView(
    long Position, string StreamId, long Version, string Type, int SchemaVersion, JsonElement Data, EventMetadataView Metadata,
    DateTime RecordedAt, DateTime OccurredAt)
{
    public static EventView From(RecordedEvent e)
    {
        using var data = JsonDocument.Parse(e.Data);
        return new EventView(e.Position, e.StreamId, e.Version, e.Type, e.SchemaVersion, data.RootElement.Clone(),
            new EventMetadataView(e.Metadata.MessageId, e.Metadata.CorrelationId, e.Metadata.CausationId, e.Metadata.TraceParent),
            e.RecordedAt, e.OccurredAt);
    }
}

/// <summary>A page of one stream in version order; <c>nextVersion</c> is where the next page starts, null at the end.</summary>
public record StreamPage(string StreamId, IReadOnlyList<EventView> Events, long? NextVersion);

/// <summary>A page of the global feed in position order; <c>next</c> is the <c>after</c> of the next page.</summary>
public record FeedPage(IReadOnlyList<EventView> Events, long Next);
