namespace SagaEngine.Host.Projections.Storage;

/// <summary>
/// An event that arrived ahead of a missing one of its stream, kept (its position has moved past it)
/// until the gap fills or <c>Projections:GapTimeout</c> passes.
/// </summary>
public class HeldEvent
{
    public string Projection { get; set; } = "";

    public int Version { get; set; }

    public string Key { get; set; } = "";

    public int Sequence { get; set; }

    /// <summary>The message's stable name and the schema version of <see cref="Body"/>.</summary>
    public string MessageType { get; set; } = "";

    public int SchemaVersion { get; set; }

    public string Body { get; set; } = "";

    public DateTime OccurredAt { get; set; }

    public DateTime HeldSince { get; set; }

    /// <summary>Where it was read, for the log line when it is released: <c>topic[partition]@offset</c> or <c>history@position</c>.</summary>
    public string Source { get; set; } = "";
}
