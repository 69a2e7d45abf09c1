using System.Collections.Concurrent;
using System.Diagnostics;
using Confluent.Kafka;
using SagaEngine.Host.Kafka.Clients;

namespace SagaEngine.Host.Kafka.Consuming;

/// <summary>
/// The thread that owns an endpoint's Kafka consumer: it polls, hands each record to its partition's
/// worker, stores a record's offset once the worker reports it done, rewinds a partition to a failed
/// record after a back-off, and follows the group's rebalances. Offsets are committed by librdkafka on
/// the commit interval (only stored ones) and by this loop when partitions are revoked and at shutdown,
/// after the revoked partitions' records in hand have finished, so the next owner starts exactly where
/// this one stopped.
/// </summary>
sealed partial class ConsumeLoop : IDisposable
{
    /// <summary>How long one poll waits for a record; also how often worker reports and back-offs are looked at when idle.</summary>
    static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>How often the loop recomputes <see cref="Lags"/> from what librdkafka already knows (no broker request).</summary>
    static readonly long LagRefreshTicks = Stopwatch.Frequency;

    readonly ConsumeLoopSettings _settings;
    readonly Func<TopicPartition, Action<RecordCompletion>, PartitionWorker> _createWorker;
    readonly ILogger _logger;
    readonly IConsumer<string, byte[]> _consumer;

    /// <summary>Asks the broker where each partition ends (<see cref="SleepWhenIdle"/>); null: the loop never sleeps.</summary>
    readonly Func<IReadOnlyCollection<TopicPartition>, TimeSpan, IReadOnlyDictionary<TopicPartition, long>>? _endOffsets;
    readonly Dictionary<TopicPartition, PartitionState> _partitions = [];
    readonly ConcurrentQueue<RecordCompletion> _completions = new();

    /// <summary>
    /// Partitions this loop paused. librdkafka keeps a partition paused through a rebalance, so one
    /// that comes back must be resumed; resuming one that is not paused would drop what was fetched.
    /// </summary>
    readonly HashSet<TopicPartition> _paused = [];
    volatile IReadOnlyList<TopicPartition> _assignment = [];
    volatile IReadOnlyList<PartitionLag> _lags = [];
    long _nextLagRefresh;

    public ConsumeLoop(ConsumerConfig config, ConsumeLoopSettings settings,
        Func<TopicPartition, Action<RecordCompletion>, PartitionWorker> createWorker, ILogger logger, ILogger librdkafkaLogger,
        Func<IReadOnlyCollection<TopicPartition>, TimeSpan, IReadOnlyDictionary<TopicPartition, long>>? endOffsets = null)
    {
        _settings = settings;
        _endOffsets = endOffsets;
        _createWorker = createWorker;
        _logger = logger;
        _consumer = new ConsumerBuilder<string, byte[]>(config)
            .SetPartitionsAssignedHandler((_, partitions) => OnAssigned(partitions))
            .SetPartitionsRevokedHandler((_, partitions) => OnRevoked(partitions.Select(p => p.TopicPartition)))
            .SetPartitionsLostHandler((_, partitions) => OnLost(partitions.Select(p => p.TopicPartition)))
            .SetLogHandler((_, m) => LibrdkafkaLogging.Log(librdkafkaLogger, m))
            .SetErrorHandler((c, e) => LibrdkafkaLogging.Error(librdkafkaLogger, c.Name, e))
            .Build();
    }

    /// <summary>This member's id in its group ("" until it has joined) and the partitions it owns now.</summary>
    public (string MemberId, string ClientId, IReadOnlyList<TopicPartition> Assignment) Membership
    {
        get
        {
            try
            {
                return (_consumer.MemberId ?? "", _consumer.Name, _assignment);
            }
            catch (ObjectDisposedException)
            {
                // Asked from another thread just as the endpoint stopped.
                return ("", "", []);
            }
        }
    }

    /// <summary>
    /// Records on this member's partitions not yet processed, as of the last refresh (about once a second):
    /// the partition's high watermark, as seen by the last fetch, minus the next offset to process.
    /// </summary>
    public IReadOnlyList<PartitionLag> Lags => _lags;

    public void Run(CancellationToken stopping)
    {
        _consumer.Subscribe(_settings.Topics);
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                RunRequests();
                RewindUnsought();
                ApplyCompletions();
                ResumeNewPartitions();
                RetryDuePartitions();
                RefreshLags();
                var record = Poll();
                if (record is not null)
                    Route(record);
                SleepWhenIdle(record is not null);
            }
        }
        finally
        {
            _lags = [];
            Close();
        }
    }

    ConsumeResult<string, byte[]>? Poll()
    {
        try
        {
            return _consumer.Consume(PollTimeout);
        }
        catch (ConsumeException e) when (!e.Error.IsFatal)
        {
            _logger.LogWarning("Kafka endpoint {Endpoint} poll error {Code}: {Reason}", _settings.Endpoint, e.Error.Code, e.Error.Reason);
            return null;
        }
    }

    void Route(ConsumeResult<string, byte[]> record)
    {
        // A blocked partition reads this record again after its rewind.
        if (!_partitions.TryGetValue(record.TopicPartition, out var state) || state.Blocked)
            return;

        state.Buffered++;
        state.FirstRoutedOffset ??= record.Offset.Value;
        state.Worker.Enqueue(record, state.Generation);
        if (state.Buffered >= _settings.MaxBufferedRecordsPerPartition && !state.PausedForBackpressure)
        {
            state.PausedForBackpressure = true;
            Pause(state.Partition);
        }
    }

    void Report(RecordCompletion completion) => _completions.Enqueue(completion);

    void ApplyCompletions()
    {
        while (_completions.TryDequeue(out var completion))
        {
            if (!_partitions.TryGetValue(completion.Worker.Partition, out var state) || state.Worker != completion.Worker)
                continue;

            state.Buffered--;
            if (completion.Generation == state.Generation)
            {
                if (completion.Outcome == RecordOutcome.Advanced)
                    Store(state, completion.Offset + 1);
                else if (completion.Outcome == RecordOutcome.RetryLater)
                    Block(state, completion.Offset);
            }

            if (state.PausedForBackpressure && !state.Blocked && state.Buffered <= _settings.MaxBufferedRecordsPerPartition / 2)
            {
                state.PausedForBackpressure = false;
                Resume(state.Partition);
            }
        }
    }

    void Store(PartitionState state, long nextOffset)
    {
        state.ConsecutiveFailures = 0;
        try
        {
            _consumer.StoreOffset(new TopicPartitionOffset(state.Partition, nextOffset));
            state.StoredOffset = nextOffset;
        }
        catch (KafkaException e)
        {
            // Only when the partition is being taken away; its next owner reads the record again.
            _logger.LogWarning("Kafka endpoint {Endpoint} could not store offset {Offset} of {Partition}: {Reason}",
                _settings.Endpoint, nextOffset, state.Partition, e.Error.Reason);
        }
    }

    void Block(PartitionState state, long failedOffset)
    {
        var backoff = _settings.Backoff(state.ConsecutiveFailures++);
        state.Blocked = true;
        state.RetryOffset = failedOffset;
        state.RetryAt = Stopwatch.GetTimestamp() + (long)(backoff.TotalSeconds * Stopwatch.Frequency);
        Pause(state.Partition);
        _logger.LogInformation("Kafka endpoint {Endpoint} pauses {Partition} for {Backoff} before reading offset {Offset} again",
            _settings.Endpoint, state.Partition, backoff, failedOffset);
    }

    /// <summary>
    /// Rewinds blocked partitions whose back-off is over, once the records queued behind the failed one
    /// have been passed over. A seek waits until librdkafka has dropped what it fetched from the old
    /// position, so the next record of the partition is the failed one.
    /// </summary>
    void RetryDuePartitions()
    {
        var now = Stopwatch.GetTimestamp();
        foreach (var state in _partitions.Values.Where(s => s.Blocked && s.Buffered == 0 && s.RetryAt <= now))
        {
            try
            {
                Resume(state.Partition);
                _consumer.Seek(new TopicPartitionOffset(state.Partition, state.RetryOffset));
            }
            catch (KafkaException e)
            {
                // Resumed but not rewound, the partition would skip the failed record: it stays blocked
                // (what arrives meanwhile is dropped) and tries again after another back-off.
                Pause(state.Partition);
                state.RetryAt = now + (long)(_settings.Backoff(state.ConsecutiveFailures).TotalSeconds * Stopwatch.Frequency);
                _logger.LogWarning("Kafka endpoint {Endpoint} could not rewind {Partition} to offset {Offset}: {Reason}",
                    _settings.Endpoint, state.Partition, state.RetryOffset, e.Error.Reason);
                continue;
            }

            state.Generation++;
            state.Blocked = false;
            state.PausedForBackpressure = false;
        }
    }

    void RefreshLags()
    {
        var now = Stopwatch.GetTimestamp();
        if (now < _nextLagRefresh)
            return;
        _nextLagRefresh = now + LagRefreshTicks;

        var lags = new List<PartitionLag>(_partitions.Count);
        foreach (var state in _partitions.Values)
        {
            try
            {
                // Cached by librdkafka from its fetch responses; unset until the partition's first fetch.
                var high = _consumer.GetWatermarkOffsets(state.Partition).High.Value;
                // Everything before the stored offset is processed; before anything is, the first record
                // handed to a worker, or (nothing read yet) where fetching starts, is the next to process.
                var next = state.StoredOffset ?? state.FirstRoutedOffset ?? _consumer.Position(state.Partition).Value;
                if (high >= 0 && next >= 0)
                    lags.Add(new PartitionLag(state.Partition.Topic, state.Partition.Partition.Value, Math.Max(0, high - next)));
            }
            catch (KafkaException)
            {
                // Being revoked; the next refresh no longer sees it.
            }
        }
        _lags = lags;
    }

    void ResumeNewPartitions()
    {
        foreach (var state in _partitions.Values.Where(s => !s.Resumed))
        {
            state.Resumed = true;
            if (_paused.Contains(state.Partition))
                Resume(state.Partition);
        }
    }

    void Pause(TopicPartition partition)
    {
        _consumer.Pause([partition]);
        _paused.Add(partition);
    }

    /// <summary>librdkafka then fetches again from the offset after the last record it handed over.</summary>
    void Resume(TopicPartition partition)
    {
        _consumer.Resume([partition]);
        _paused.Remove(partition);
    }

    void OnAssigned(List<TopicPartition> partitions)
    {
        // librdkafka keeps a partition paused through a rebalance: none stays asleep across one.
        Wake();
        // With cooperative rebalancing a member may be told of a rebalance that gives it nothing new.
        if (partitions.Count == 0)
            return;
        foreach (var partition in partitions)
            _partitions[partition] = new PartitionState(_createWorker(partition, Report));
        _assignment = _partitions.Keys.ToList();
        _logger.LogInformation("Kafka endpoint {Endpoint} was assigned {Partitions}", _settings.Endpoint, partitions);
    }

    /// <summary>The partitions go to another member: finish what is in hand, store and commit it, then let go.</summary>
    void OnRevoked(IEnumerable<TopicPartition> partitions)
    {
        Wake();
        var revoked = Owned(partitions);
        if (revoked.Count == 0)
            return;

        WaitFor(revoked.Select(s => s.Worker.Stop()));
        ApplyCompletions();
        Commit(revoked);
        Forget(revoked);
        _logger.LogInformation("Kafka endpoint {Endpoint} gave up {Partitions}", _settings.Endpoint, revoked.Select(s => s.Partition));
    }

    /// <summary>The group already gave the partitions to another member: stop at once, commit nothing.</summary>
    void OnLost(IEnumerable<TopicPartition> partitions)
    {
        Wake();
        var lost = Owned(partitions);
        Forget(lost);
        WaitFor(lost.Select(s => s.Worker.Abort()));
        _logger.LogWarning("Kafka endpoint {Endpoint} lost {Partitions}; their records in hand will be read again by their new owner",
            _settings.Endpoint, lost.Select(s => s.Partition));
    }

    List<PartitionState> Owned(IEnumerable<TopicPartition> partitions) =>
        partitions.Select(p => _partitions.GetValueOrDefault(p)).OfType<PartitionState>().ToList();

    void Forget(List<PartitionState> states)
    {
        foreach (var state in states)
            _partitions.Remove(state.Partition);
        _assignment = _partitions.Keys.ToList();
    }

    void Commit(IReadOnlyCollection<PartitionState> states)
    {
        var offsets = states.Where(s => s.StoredOffset is not null)
            .Select(s => new TopicPartitionOffset(s.Partition, s.StoredOffset!.Value)).ToList();
        if (offsets.Count == 0)
            return;
        try
        {
            _consumer.Commit(offsets);
        }
        catch (KafkaException e)
        {
            _logger.LogWarning("Kafka endpoint {Endpoint} could not commit {Offsets}: {Reason}; those records may be processed again",
                _settings.Endpoint, offsets, e.Error.Reason);
        }
    }

    /// <summary>Stops the workers (records in hand finish), commits, and leaves the group.</summary>
    void Close()
    {
        OnRevoked(_partitions.Keys.ToList());
        try
        {
            _consumer.Close();
        }
        catch (KafkaException e)
        {
            _logger.LogWarning("Kafka endpoint {Endpoint} did not leave its group cleanly: {Reason}", _settings.Endpoint, e.Error.Reason);
        }
    }

    /// <summary>Blocks the loop's own thread, never a thread-pool one: workers do not need it to finish.</summary>
    static void WaitFor(IEnumerable<Task> tasks) => Task.WhenAll(tasks).GetAwaiter().GetResult();

    public void Dispose() => _consumer.Dispose();
}

/// <summary>How far one assigned partition's processing is behind its end.</summary>
public readonly record struct PartitionLag(string Topic, int Partition, long Lag);

/// <summary>
/// An endpoint's loop: its topics, how many records a partition may have in hand before it pauses, its
/// back-off after a failed record, and how long without a record before it stops fetching until woken (null: never).
/// </summary>
sealed record ConsumeLoopSettings(string Endpoint, IReadOnlyList<string> Topics, int MaxBufferedRecordsPerPartition,
    TimeSpan RetryBackoff, TimeSpan RetryBackoffMax, TimeSpan? SleepWhenIdleAfter = null)
{
    public TimeSpan Backoff(int previousFailures) =>
        TimeSpan.FromTicks(Math.Min(RetryBackoffMax.Ticks, RetryBackoff.Ticks * (1L << Math.Min(previousFailures, 20))));
}
