using System.Collections.Concurrent;
using System.Diagnostics;
using Confluent.Kafka;

namespace SagaEngine.Host.Kafka.Consuming;

/// <summary>
/// Sleeping while idle, on the embedded broker only. That broker answers a fetch that finds nothing only when
/// the fetch's wait (10 ms) is over, so an endpoint with nothing to read fetched a hundred times a second for as
/// long as the host was idle: most of an idle host's CPU. A real broker answers a waiting fetch as soon as
/// records arrive, so there the loop never sleeps.
/// <para>
/// After <see cref="ConsumeLoopSettings.SleepWhenIdleAfter"/> without a record, the loop notes each partition's
/// next offset to process and pauses it, so librdkafka stops fetching. What this host produces wakes it at once
/// (<see cref="Wake"/>). Records another process produces are found by a look every <see cref="LookEvery"/>: one
/// request for the sleeping partitions' end offsets, and any end past the next offset to process wakes the loop.
/// A look never depends on a fetch going out in time, so a record cannot be missed, only found up to a look later.
/// </para>
/// <para>
/// Waking resumes each partition and seeks it to the next offset to process that the look compared against, so
/// where fetching resumes never depends on what librdkafka fetched before the pause, and a partition that had
/// handed nothing over yet needs no offset lookup before its first fetch.
/// </para>
/// </summary>
sealed partial class ConsumeLoop
{
    /// <summary>
    /// How often a sleeping loop asks for its partitions' end offsets: the most a record another process produces
    /// waits before it is fetched. A look costs about a millisecond of CPU (a metadata and a list-offsets request,
    /// through the admin client and the embedded broker's threads): every 100 ms, an idle host measured 4.6-5.7% of
    /// one core, every 250 ms 3.6%.
    /// </summary>
    static readonly long LookEvery = Stopwatch.Frequency / 4;

    /// <summary>How long a look or a committed-offset read may take before the loop wakes (or stays awake) to be safe.</summary>
    static readonly TimeSpan BrokerRequestTimeout = TimeSpan.FromSeconds(1);

    readonly Lock _sleep = new();

    /// <summary>Each sleeping partition's next offset to process; empty while awake. Replaced, never changed, under <see cref="_sleep"/>.</summary>
    Dictionary<TopicPartition, long> _sleeping = [];

    /// <summary>Woken partitions whose seek failed on another thread: the loop rewinds them itself.</summary>
    readonly ConcurrentQueue<TopicPartitionOffset> _unsought = new();

    long _lastActive = Stopwatch.GetTimestamp();
    long _nextLook;

    /// <summary>Whether the loop sleeps now: for its specs.</summary>
    public bool Sleeping
    {
        get
        {
            lock (_sleep)
                return _sleeping.Count > 0;
        }
    }

    /// <summary>Resumes fetching at once, from each partition's next offset to process; from any thread.</summary>
    public void Wake()
    {
        // Written before the lock is taken: a loop about to fall asleep reads it under the lock and stays awake.
        Volatile.Write(ref _lastActive, Stopwatch.GetTimestamp());
        lock (_sleep)
        {
            if (_sleeping.Count == 0)
                return;
            var sleeping = _sleeping;
            _sleeping = [];
            _consumer.Resume(sleeping.Keys);
            foreach (var (partition, next) in sleeping)
            {
                var target = new TopicPartitionOffset(partition, next);
                try
                {
                    _consumer.Seek(target);
                }
                catch (KafkaException e)
                {
                    _unsought.Enqueue(target);
                    _logger.LogDebug("Kafka endpoint {Endpoint} could not seek woken {Partition}: {Reason}", _settings.Endpoint, partition, e.Error.Reason);
                }
            }
        }
    }

    /// <summary>After each poll: notes a record as activity; falls asleep once idle long enough; looks now and then while asleep.</summary>
    void SleepWhenIdle(bool gotRecord)
    {
        if (_settings.SleepWhenIdleAfter is not { } idleAfter || _endOffsets is null)
            return;
        var now = Stopwatch.GetTimestamp();
        if (gotRecord)
            Volatile.Write(ref _lastActive, now);
        else if (Sleeping)
        {
            if (now >= _nextLook)
            {
                _nextLook = now + LookEvery;
                Look(_endOffsets);
            }
        }
        else if (now - Volatile.Read(ref _lastActive) >= idleAfter.TotalSeconds * Stopwatch.Frequency)
            FallAsleep(now);
    }

    void FallAsleep(long now)
    {
        // Partitions this loop paused for its own reasons (back-pressure, a back-off) stay as they are.
        var idle = _partitions.Values.Where(s => !_paused.Contains(s.Partition)).ToList();
        if (idle.Count == 0 || _partitions.Values.Any(s => s.Buffered > 0))
            return;

        Dictionary<TopicPartition, long> next;
        try
        {
            next = NextOffsets(idle);
        }
        catch (KafkaException e)
        {
            // Tries again after another idle spell.
            Volatile.Write(ref _lastActive, now);
            _logger.LogDebug("Kafka endpoint {Endpoint} stays awake: no committed offsets ({Reason})", _settings.Endpoint, e.Error.Reason);
            return;
        }

        lock (_sleep)
        {
            if (Volatile.Read(ref _lastActive) > now)
                return;
            _consumer.Pause(next.Keys);
            _sleeping = next;
        }
        _nextLook = now + LookEvery;
    }

    /// <summary>
    /// Where processing goes on: after the last stored record; before anything is stored, the group's committed
    /// offset; with none, where librdkafka started (the oldest record, as auto.offset.reset is earliest).
    /// </summary>
    Dictionary<TopicPartition, long> NextOffsets(List<PartitionState> idle)
    {
        var next = idle.Where(s => s.StoredOffset is not null).ToDictionary(s => s.Partition, s => s.StoredOffset!.Value);
        var unstored = idle.Where(s => s.StoredOffset is null).Select(s => s.Partition).ToList();
        if (unstored.Count == 0)
            return next;
        foreach (var committed in _consumer.Committed(unstored, BrokerRequestTimeout))
            next[committed.TopicPartition] = committed.Offset.Value >= 0
                ? committed.Offset.Value
                : Math.Max(0, _consumer.GetWatermarkOffsets(committed.TopicPartition).Low.Value);
        return next;
    }

    /// <summary>Wakes the loop when a sleeping partition's end has moved past its next offset to process, or when that cannot be told.</summary>
    void Look(Func<IReadOnlyCollection<TopicPartition>, TimeSpan, IReadOnlyDictionary<TopicPartition, long>> endOffsets)
    {
        Dictionary<TopicPartition, long> sleeping;
        lock (_sleep)
            sleeping = _sleeping;
        if (sleeping.Count == 0)
            return;
        try
        {
            var ends = endOffsets(sleeping.Keys, BrokerRequestTimeout);
            if (sleeping.All(p => ends.TryGetValue(p.Key, out var end) && end >= 0 && end <= p.Value))
                return;
        }
        catch (Exception e) when (e is KafkaException or TimeoutException)
        {
            _logger.LogDebug("Kafka endpoint {Endpoint} wakes: no end offsets ({Reason})", _settings.Endpoint, e.Message);
        }
        Wake();
    }

    /// <summary>Partitions whose seek on waking failed are rewound as after a failed record, with no back-off.</summary>
    void RewindUnsought()
    {
        while (_unsought.TryDequeue(out var target))
        {
            if (!_partitions.TryGetValue(target.TopicPartition, out var state) || state.Blocked)
                continue;
            state.Blocked = true;
            state.RetryOffset = target.Offset.Value;
            state.RetryAt = Stopwatch.GetTimestamp();
            Pause(state.Partition);
        }
    }
}
