namespace SagaEngine.Host.Projections.Storage;

/// <summary>
/// One row per projection: the version queries read, and the rebuild building the next one, if any.
/// The swap is one update of <see cref="Active"/>; everything else here is for the operator to watch.
/// </summary>
public class ProjectionVersion
{
    public string Projection { get; set; } = "";

    /// <summary>The version queries read and the live runners write.</summary>
    public int Active { get; set; }

    /// <summary>The highest version ever started, so that a new rebuild never reuses an abandoned one's number.</summary>
    public int LastVersion { get; set; }

    /// <summary>The version a rebuild is building, or null.</summary>
    public int? Rebuilding { get; set; }

    public DateTime? RebuildStartedAt { get; set; }

    /// <summary>Moved on by the host running the rebuild; a heartbeat long past means that host stopped.</summary>
    public DateTime? RebuildHeartbeatAt { get; set; }

    /// <summary><c>history</c> (from the event store) or <c>catch-up</c> (from the live topics).</summary>
    public string? RebuildPhase { get; set; }

    /// <summary>Events the rebuild has read so far.</summary>
    public long RebuildEvents { get; set; }

    /// <summary>The history position reached, and where the history ended when the rebuild looked.</summary>
    public long? RebuildHistoryPosition { get; set; }

    public long? RebuildHistoryEnd { get; set; }

    /// <summary>During catch-up: records the new version still has to read to reach the live one.</summary>
    public long? RebuildBehind { get; set; }

    public int? LastRebuildVersion { get; set; }

    /// <summary><c>completed</c>, <c>failed</c> or <c>interrupted</c>.</summary>
    public string? LastRebuildOutcome { get; set; }

    public string? LastRebuildError { get; set; }

    public DateTime? LastRebuildFinishedAt { get; set; }

    public long? LastRebuildEvents { get; set; }

    public double? LastRebuildSeconds { get; set; }

    /// <summary>When <see cref="Active"/> last changed.</summary>
    public DateTime? SwappedAt { get; set; }

    /// <summary>The slot of a version swapped out, still to be emptied once queries have moved on; null when there is none.</summary>
    public int? Retired { get; set; }
}
