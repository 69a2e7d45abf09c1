namespace SagaEngine.Host.EventStore;

/// <summary>
/// A stream's folded state at one version, kept for good: a query about any time starts from the
/// newest snapshot at or before it. Unlike events, snapshots are a cache and may be written again.
/// </summary>
public class StoredSnapshot
{
    public string StreamId { get; set; } = "";

    /// <summary>The version of the stream's last event folded into <see cref="State"/>.</summary>
    public long Version { get; set; }

    /// <summary>That event's <see cref="StoredEvent.RecordedAt"/>: the time the state held from.</summary>
    public DateTime RecordedAt { get; set; }

    /// <summary>The fold's state version when it was written; a snapshot of another version is ignored and written again.</summary>
    public int StateVersion { get; set; }

    /// <summary>The state as camelCase JSON.</summary>
    public string State { get; set; } = "";

    public DateTime TakenAt { get; set; }
}
