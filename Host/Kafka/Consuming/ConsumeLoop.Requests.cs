using System.Collections.Concurrent;
using Confluent.Kafka;

namespace SagaEngine.Host.Kafka.Consuming;

/// <summary>
/// Work other threads hand to the loop's own thread, which alone may touch the consumer and the
/// partitions' book-keeping: it runs between polls, so it never meets a record half processed.
/// </summary>
sealed partial class ConsumeLoop
{
    readonly ConcurrentQueue<Action> _requests = new();

    void RunRequests()
    {
        while (_requests.TryDequeue(out var request))
        {
            // A request may move the partitions (a group reset): a sleeping loop would otherwise keep its noted
            // offsets, look past the move, and on waking seek back to where it stood before it.
            Wake();
            request();
        }
    }

    Task<T> OnLoopThread<T>(Func<T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _requests.Enqueue(() =>
        {
            try
            {
                done.SetResult(work());
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        });
        return done.Task;
    }

    /// <summary>
    /// Moves this member's partitions to the given offsets (a consumer-group reset): lets the records in
    /// hand finish and stores their offsets, commits the targets, then reads on from them with fresh
    /// workers. The partitions are not read in between, so nothing is processed twice or skipped by the move itself.
    /// </summary>
    /// <returns>Where each partition stood: the next offset to process, or the committed one when nothing was processed here yet.</returns>
    public Task<IReadOnlyDictionary<TopicPartition, long?>> MoveOffsets(IReadOnlyDictionary<TopicPartition, long> targets) =>
        OnLoopThread<IReadOnlyDictionary<TopicPartition, long?>>(() =>
        {
            var moving = targets.Keys.Select(p => _partitions.GetValueOrDefault(p)).ToList();
            if (moving.Any(s => s is null))
                throw new InvalidOperationException(
                    $"Kafka endpoint {_settings.Endpoint} no longer owns {string.Join(", ", targets.Keys.Where(p => !_partitions.ContainsKey(p)))}.");
            var states = moving.OfType<PartitionState>().ToList();

            WaitFor(states.Select(s => s.Worker.Stop()));
            ApplyCompletions();
            var committed = _consumer.Committed(states.Select(s => s.Partition), KafkaTimeout)
                .ToDictionary(o => o.TopicPartition, o => o.Offset.Value >= 0 ? o.Offset.Value : (long?)null);
            var before = states.ToDictionary(s => s.Partition, s => s.StoredOffset ?? committed.GetValueOrDefault(s.Partition));

            var offsets = targets.Select(t => new TopicPartitionOffset(t.Key, t.Value)).ToList();
            _consumer.Commit(offsets);
            foreach (var offset in offsets)
            {
                var state = new PartitionState(_createWorker(offset.TopicPartition, Report)) { Resumed = true, StoredOffset = offset.Offset.Value };
                _partitions[offset.TopicPartition] = state;
                if (_paused.Contains(offset.TopicPartition))
                    Resume(offset.TopicPartition);
                _consumer.StoreOffset(offset);
                _consumer.Seek(offset);
            }
            _logger.LogWarning("Kafka endpoint {Endpoint} moved {Partitions} (consumer-group reset)", _settings.Endpoint,
                offsets.Select(o => $"{o.TopicPartition}: {before[o.TopicPartition]?.ToString() ?? "-"} -> {o.Offset.Value}"));
            return before;
        });

    static readonly TimeSpan KafkaTimeout = TimeSpan.FromSeconds(10);
}
