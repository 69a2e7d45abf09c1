using System.Collections.Concurrent;
using System.Threading.Channels;

namespace SagaEngine.Host.EventStore.Snapshots;

/// <summary>
/// Streams that are due for snapshots: an append that reached a multiple of <c>EventStore:SnapshotEvery</c>,
/// or a query that had to fold a long tail (a snapshot missing, or of an older state version). Each stream
/// waits here once however often it is named; the <see cref="SnapshotWriter"/> takes them in turn.
/// </summary>
public sealed class SnapshotSignal
{
    readonly Channel<string> _due = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    readonly ConcurrentDictionary<string, byte> _waiting = new(StringComparer.Ordinal);

    public void Due(string streamId)
    {
        if (_waiting.TryAdd(streamId, 0))
            _due.Writer.TryWrite(streamId);
    }

    public async ValueTask<string> Next(CancellationToken cancellationToken)
    {
        var streamId = await _due.Reader.ReadAsync(cancellationToken);
        _waiting.TryRemove(streamId, out _);
        return streamId;
    }

    /// <summary>How many streams wait; for tests and the benchmark to tell when the writer has caught up.</summary>
    public int Waiting => _waiting.Count;
}
