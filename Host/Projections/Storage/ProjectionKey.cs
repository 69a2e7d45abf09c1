namespace SagaEngine.Host.Projections.Storage;

/// <summary>
/// One stream (for the order flow: one order) as one version of a projection has applied it: the last
/// sequence number applied, how many events wait ahead of a gap, and any state the projection keeps per
/// stream. Written in the batch's transaction with the rows it describes.
/// </summary>
public class ProjectionKey
{
    public string Projection { get; set; } = "";

    public int Version { get; set; }

    public string Key { get; set; } = "";

    /// <summary>The highest sequence number applied; null while only events without one were.</summary>
    public int? LastSequence { get; set; }

    /// <summary>How many of its events are in <see cref="HeldEvent"/>, waiting for a gap to fill.</summary>
    public int Held { get; set; }

    /// <summary>The projection's own state for this stream, as JSON, or null.</summary>
    public string? State { get; set; }

    public DateTime AppliedAt { get; set; }

    public int Revision { get; set; }
}
