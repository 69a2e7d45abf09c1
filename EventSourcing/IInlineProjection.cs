namespace SagaEngine.EventSourcing;

/// <summary>
/// A table kept in step with a category of streams inside the appending transaction (the stock row of a
/// SKU, the balance of an account): one row per stream, holding the stream's state and version. The
/// owner writes it as it appends; this view of it lets the event store rebuild it from the streams and
/// check it against them. Resolve it from the same scope as the database context it works on.
/// </summary>
public interface IInlineProjection
{
    /// <summary>The projection's name in <c>/projections/inline/{name}</c>.</summary>
    string Name { get; }

    /// <summary>The fold whose state each row holds; its category names the streams.</summary>
    IStreamFold Fold { get; }

    /// <summary>Every row, as the stream id, version and state it holds.</summary>
    Task<IReadOnlyList<ProjectedRow>> ReadRows(CancellationToken cancellationToken);

    /// <summary>
    /// Locks the row of <paramref name="streamId"/> in the current transaction, as an appender of that
    /// stream would, and returns the version it holds (null when there is no row).
    /// </summary>
    Task<long?> LockRow(string streamId, CancellationToken cancellationToken);

    /// <summary>Writes the row of <see cref="ProjectedRow.StreamId"/> (creating it if it is missing) in the current transaction.</summary>
    Task WriteRow(ProjectedRow row, CancellationToken cancellationToken);
}

/// <summary>One row of an inline projection: its stream, the version it reflects, and its state.</summary>
public sealed record ProjectedRow(string StreamId, long Version, object State);
