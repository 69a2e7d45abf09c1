using System.Text.Json;

namespace SagaEngine.Host.EventStore.Projections;

/// <summary>What a rebuild did: the streams folded, their events, and the rows written.</summary>
public sealed record RebuildReport(string Name, int Streams, long Events, int RowsWritten, double Seconds)
{
    public double EventsPerSecond => Seconds > 0 ? Events / Seconds : 0;
}

/// <summary>What a check found: every row that differs from the fold of its stream (none when all agree).</summary>
public sealed record CheckReport(string Name, int Streams, long Events, int Rows, IReadOnlyList<RowDifference> Differences);

/// <summary>
/// One stream where the live row and the fold disagree. <c>Live</c> is null for a stream without a row,
/// <c>Folded</c> null for a row without a stream.
/// </summary>
public sealed record RowDifference(string StreamId, RowView? Live, RowView? Folded);

public sealed record RowView(long Version, JsonElement State);
