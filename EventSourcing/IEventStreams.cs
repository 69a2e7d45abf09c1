namespace SagaEngine.EventSourcing;

/// <summary>
/// Appends events to streams inside the caller's unit of work: the events commit or roll back with the
/// transaction the caller's other changes (its rows, its outbox messages) are written in. Resolve it from
/// the same scope as the caller's database context.
/// </summary>
public interface IEventStreams
{
    /// <summary>
    /// Appends each stream's events right after its <see cref="StreamAppend.ExpectedVersion"/>, in one
    /// statement. Throws <see cref="StreamVersionConflictException"/> when a stream is not at that version
    /// (another writer appended first, or the caller's version is wrong); the whole unit of work should
    /// then be retried from a fresh read.
    /// </summary>
    Task Append(IReadOnlyList<StreamAppend> appends, CancellationToken cancellationToken = default);

    /// <summary>The version of the stream's last committed event (as this unit of work sees it); 0 when it has none.</summary>
    Task<long> Version(string streamId, CancellationToken cancellationToken = default);
}

public static class EventStreamsExtensions
{
    /// <summary>Appends events to one stream after <paramref name="expectedVersion"/> (0: the stream must not exist yet).</summary>
    public static Task Append(this IEventStreams streams, string streamId, long expectedVersion, object @event,
        CancellationToken cancellationToken = default) =>
        streams.Append([new StreamAppend(streamId, expectedVersion, [new NewEvent(@event)])], cancellationToken);
}
