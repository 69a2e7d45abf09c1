namespace SagaEngine.Host.Projections.Storage;

/// <summary>
/// Where one version of a projection stands on one partition, written in the same transaction as the
/// rows it applied: the position the runner trusts, whatever Kafka's committed offset says.
/// </summary>
public class ProjectionPosition
{
    public string Projection { get; set; } = "";

    public int Version { get; set; }

    public string Topic { get; set; } = "";

    public int Partition { get; set; }

    /// <summary>The next offset to read.</summary>
    public long NextOffset { get; set; }

    /// <summary>
    /// One past the highest offset ever applied. Equal to <see cref="NextOffset"/> except after a
    /// consumer-group reset moved the position back: records below it are read again but not applied.
    /// </summary>
    public long AppliedThrough { get; set; }

    /// <summary>When the last event applied from this partition happened; the projection's time lag is measured from it.</summary>
    public DateTime? LastEventAt { get; set; }

    public int Revision { get; set; }
}
