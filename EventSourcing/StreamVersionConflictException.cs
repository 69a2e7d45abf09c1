namespace SagaEngine.EventSourcing;

/// <summary>
/// An append found its stream at another version than the writer expected: someone else appended first,
/// or the writer's version is wrong. Nothing of the unit of work may be kept; retry it from a fresh read.
/// </summary>
public sealed class StreamVersionConflictException(IReadOnlyList<StreamAppend> appends, Exception? inner = null)
    : Exception(Describe(appends), inner)
{
    public IReadOnlyList<StreamAppend> Appends { get; } = appends;

    static string Describe(IReadOnlyList<StreamAppend> appends) =>
        "Stream version conflict: " + string.Join(", ", appends.Select(a => $"{a.StreamId} is not at version {a.ExpectedVersion}"))
        + (appends.Count > 1 ? " (at least one of them)" : "") + ".";
}
