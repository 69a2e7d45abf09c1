namespace SagaEngine.Host.EventStore;

/// <summary>
/// One row of the append-only <c>events</c> table. Written only by <see cref="SqlEventStreams"/>; the
/// database refuses to update or delete it (see the <c>EventsAppendOnly</c> migrations).
/// </summary>
public class StoredEvent
{
    /// <summary>
    /// The global position, assigned by the database. Readers of the global feed see positions only in
    /// increasing order and never one below a position they have already been given (see <see cref="GlobalFeed"/>).
    /// </summary>
    public long Position { get; set; }

    /// <summary>The stream id's prefix, kept so that a category's streams are one index range.</summary>
    public string Category { get; set; } = "";

    public string StreamId { get; set; } = "";

    /// <summary>1, 2, 3, … within the stream; unique per stream.</summary>
    public long Version { get; set; }

    /// <summary>The event type's stored name (see <c>EventType</c>).</summary>
    public string Type { get; set; } = "";

    /// <summary>The version of <see cref="Data"/>'s shape when it was written.</summary>
    public int SchemaVersion { get; set; }

    /// <summary>The event as camelCase JSON, exactly as written.</summary>
    public string Data { get; set; } = "";

    /// <summary>The event's own id.</summary>
    public Guid MessageId { get; set; }

    /// <summary>The conversation the event belongs to: for the order flow, the order id.</summary>
    public Guid? CorrelationId { get; set; }

    /// <summary>The id of the message whose handling appended the event; null when no message caused it (an HTTP request, start-up).</summary>
    public Guid? CausationId { get; set; }

    /// <summary>The W3C trace context the event was appended in, when tracing was on.</summary>
    public string? TraceParent { get; set; }

    /// <summary>When it was appended (UTC); never earlier than the stream's previous event.</summary>
    public DateTime RecordedAt { get; set; }

    /// <summary>
    /// When it happened (UTC), to the microsecond, when that is not <see cref="RecordedAt"/>: the time the message it
    /// is was sent. A topic's reader dates the event by that time, so a read model rebuilt from the store dates it alike.
    /// </summary>
    public DateTime? OccurredAt { get; set; }
}
