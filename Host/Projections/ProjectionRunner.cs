using System.Collections.Concurrent;
using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SagaEngine.Host.Kafka.Clients;
using SagaEngine.Host.Kafka.Configuration;
using SagaEngine.Host.Kafka.Consuming;
using SagaEngine.Host.Kafka.GroupReset;
using SagaEngine.Host.Projections.Applying;
using SagaEngine.Host.Projections.Consistency;
using SagaEngine.Host.Projections.Monitoring;
using SagaEngine.Host.Projections.Storage;
using SagaEngine.Host.Schemas;

namespace SagaEngine.Host.Projections;

/// <summary>
/// Feeds one projection: a member of the projection's own consumer group that reads its topics in
/// batches and applies each batch, with the positions it reached, in one transaction
/// (<see cref="BatchApplier"/>). The position it trusts is the one in the database: on assignment, after a
/// refused batch and after a failure it reads from there, so a process that died after committing rows
/// but before Kafka's offset commit neither skips nor applies anything twice. Kafka's committed offsets
/// follow as a mirror, for tools that watch consumer lag.
/// </summary>
public sealed class ProjectionRunner : BackgroundService, IConsumerGroupMember
{
    static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(100);
    static readonly TimeSpan RetryBackoff = TimeSpan.FromSeconds(1);
    static readonly TimeSpan RetryBackoffMax = TimeSpan.FromSeconds(30);
    const int ConflictAttempts = 5;

    readonly IProjection _projection;
    readonly ProjectionsOptions _options;
    readonly KafkaEndpointOptions _topology;
    readonly KafkaClientConfigs _configs;
    readonly KafkaAdmin _admin;
    readonly IFailedRecordHandler _failures;
    readonly IServiceScopeFactory _scopes;
    readonly ProjectionWaiters _waiters;
    readonly ConsumerGroupMembers _members;
    readonly ProjectionRegistry _registry;
    readonly ProjectionMetrics _metrics;
    readonly TimeProvider _clock;
    readonly ILogger _logger;
    readonly ILogger _librdkafkaLogger;
    readonly EventDecoder _decoder;
    readonly BatchApplier _applier;
    readonly ConcurrentQueue<Action> _requests = new();
    readonly RunnerCounters _counters = new();

    // Touched only by the consuming thread.
    readonly Dictionary<TopicPartition, Cursor> _cursors = [];
    IConsumer<string, byte[]>? _consumer;
    int _version;
    long _nextSweep;
    long _nextLagRefresh;
    int _failuresInARow;

    volatile IReadOnlyList<TopicPartition> _assignment = [];
    volatile string? _error;
    volatile bool _running;
    long _localLag;
    long _position;

    public ProjectionRunner(IProjection projection, IOptions<ProjectionsOptions> options, IOptions<KafkaOptions> kafka,
        KafkaClientConfigs configs, KafkaAdmin admin, IMessageSchemas schemas, IFailedRecordHandler failures, IServiceScopeFactory scopes,
        ProjectionWaiters waiters, ConsumerGroupMembers members, ProjectionRegistry registry, ProjectionMetrics metrics, TimeProvider clock,
        ILoggerFactory loggers)
    {
        _metrics = metrics;
        _registry = registry;
        _projection = projection;
        _options = options.Value;
        _topology = kafka.Value.Endpoints[projection.Name];
        _configs = configs;
        _admin = admin;
        _failures = failures;
        _scopes = scopes;
        _waiters = waiters;
        _members = members;
        _clock = clock;
        _logger = loggers.CreateLogger<ProjectionRunner>();
        _librdkafkaLogger = loggers.CreateLogger(LibrdkafkaLogging.Category);
        _decoder = new EventDecoder(projection, schemas);
        _applier = new BatchApplier(projection, _decoder, scopes, clock, _options.GapTimeout);
    }

    public string Name => _projection.Name;

    public string Group => _topology.Group;

    public IReadOnlyList<string> Topics => _topology.Topics;

    public (string MemberId, string ClientId, IReadOnlyList<TopicPartition> Assignment) Membership
    {
        get
        {
            try
            {
                return _consumer is { } consumer ? (consumer.MemberId ?? "", consumer.Name, _assignment) : ("", "", []);
            }
            catch (ObjectDisposedException)
            {
                return ("", "", []);
            }
        }
    }

    /// <summary>What this host's member of the group is doing, for <c>GET /projections</c> and the metrics.</summary>
    public RunnerStatus Status => new(_running, _error, Volatile.Read(ref _version), Interlocked.Read(ref _localLag),
        Interlocked.Read(ref _position), _counters.Snapshot());

    /// <summary>Reads the stored positions again now (after a swap made another version live).</summary>
    public void Resync() => _requests.Enqueue(() => TryReposition(_cursors.Keys.ToList()));

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        _members.Add(this);
        _registry.Started(this);
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        _members.Remove(this);
        _registry.Stopped(this);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await EnsureVersionRow(stoppingToken);
        _logger.LogInformation("Projection {Projection} consumes {Topics} in group {Group}", Name, Topics, Group);
        // Polling blocks its thread, so the runner gets a thread of its own rather than a pool thread.
        await Task.Factory.StartNew(() => Run(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    async Task EnsureVersionRow(CancellationToken cancellationToken)
    {
        for (var attempt = 1;; attempt++)
        {
            try
            {
                await using var scope = _scopes.CreateAsyncScope();
                var row = await ProjectionVersions.Ensure(scope.ServiceProvider.GetRequiredService<DbContext>(), Name, cancellationToken);
                _version = row.Active;
                return;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                _error = $"The database did not answer: {e.Message}";
                _logger.LogWarning(e, "Projection {Projection} could not read its version (attempt {Attempt}); trying again", Name, attempt);
                await Task.Delay(Backoff(attempt), cancellationToken);
            }
        }
    }

    void Run(CancellationToken stopping)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(_configs.Consumer(Group, $"sagaengine-projection-{Name}", _options.EmbeddedFetchWaitMaxMs))
            .SetPartitionsAssignedHandler((_, partitions) => OnAssigned(partitions))
            .SetPartitionsRevokedHandler((_, partitions) => Forget(partitions.Select(p => p.TopicPartition)))
            .SetPartitionsLostHandler((_, partitions) => Forget(partitions.Select(p => p.TopicPartition)))
            .SetLogHandler((_, m) => LibrdkafkaLogging.Log(_librdkafkaLogger, m))
            .SetErrorHandler((c, e) => LibrdkafkaLogging.Error(_librdkafkaLogger, c.Name, e))
            .Build();
        _consumer = consumer;
        _running = true;
        consumer.Subscribe(Topics);
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                RunRequests();
                RefreshLag();
                var records = Collect(stopping);
                var sweep = Stopwatch.GetTimestamp() >= _nextSweep;
                if (records.Count > 0 || sweep)
                    Process(records, sweep, stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        finally
        {
            _running = false;
            try
            {
                consumer.Close();
            }
            catch (KafkaException e)
            {
                _logger.LogWarning("Projection {Projection} did not leave its group cleanly: {Reason}", Name, e.Error.Reason);
            }
            _consumer = null;
        }
    }

    void RunRequests()
    {
        while (_requests.TryDequeue(out var request))
        {
            try
            {
                request();
            }
            catch (Exception e)
            {
                _logger.LogWarning(e, "Projection {Projection}: a request to its consuming thread failed", Name);
            }
        }
    }

    /// <summary>Starts each new partition at its stored position (the database's, not Kafka's committed offset).</summary>
    IEnumerable<TopicPartitionOffset> OnAssigned(List<TopicPartition> partitions)
    {
        Dictionary<(string, int), ProjectionPosition>? positions = null;
        try
        {
            positions = LoadPositions();
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "Projection {Projection} could not read its positions for {Partitions}; it reads them again before applying anything",
                Name, partitions);
        }

        var offsets = new List<TopicPartitionOffset>();
        foreach (var partition in partitions)
        {
            var cursor = new Cursor { NeedsPosition = positions is null };
            if (positions?.GetValueOrDefault((partition.Topic, partition.Partition.Value)) is { } row)
                cursor.Stored = row.NextOffset;
            _cursors[partition] = cursor;
            offsets.Add(new TopicPartitionOffset(partition, cursor.Stored ?? Offset.Beginning));
        }
        _assignment = _cursors.Keys.ToList();
        _logger.LogInformation("Projection {Projection} (version {Version}) was assigned {Partitions}", Name, _version, offsets);
        return offsets;
    }

    void Forget(IEnumerable<TopicPartition> partitions)
    {
        foreach (var partition in partitions)
            _cursors.Remove(partition);
        _assignment = _cursors.Keys.ToList();
    }

    /// <summary>The live version, and its positions; the version is remembered for the batches that follow.</summary>
    Dictionary<(string, int), ProjectionPosition> LoadPositions()
    {
        using var scope = _scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<DbContext>();
        var version = ProjectionVersions.Active(db, Name, CancellationToken.None).GetAwaiter().GetResult();
        var rows = db.Set<ProjectionPosition>().AsNoTracking().Where(p => p.Projection == Name && p.Version == version)
            .ToDictionary(p => (p.Topic, p.Partition));
        Volatile.Write(ref _version, version);
        return rows;
    }

    /// <summary>Moves the partitions back (or on) to their stored positions: nothing read since is applied.</summary>
    void Reposition(IReadOnlyCollection<TopicPartition> partitions)
    {
        var positions = LoadPositions();
        foreach (var partition in partitions)
        {
            if (!_cursors.TryGetValue(partition, out var cursor))
                continue;
            var row = positions.GetValueOrDefault((partition.Topic, partition.Partition.Value));
            cursor.Stored = row?.NextOffset;
            cursor.NeedsPosition = false;
            cursor.Paused = false;
            _consumer!.Resume([partition]);
            _consumer.Seek(new TopicPartitionOffset(partition, row?.NextOffset ?? Offset.Beginning));
        }
    }

    List<ConsumeResult<string, byte[]>> Collect(CancellationToken stopping)
    {
        var records = new List<ConsumeResult<string, byte[]>>();
        var deadline = 0L;
        while (records.Count < _options.BatchSize && !stopping.IsCancellationRequested)
        {
            var wait = records.Count == 0
                ? PollTimeout
                : TimeSpan.FromSeconds(Math.Max(0, deadline - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency);
            ConsumeResult<string, byte[]>? record;
            try
            {
                record = _consumer!.Consume(wait);
            }
            catch (ConsumeException e) when (!e.Error.IsFatal)
            {
                _logger.LogWarning("Projection {Projection} poll error {Code}: {Reason}", Name, e.Error.Code, e.Error.Reason);
                break;
            }
            if (record is null)
                break;
            if (record.IsPartitionEOF || !_cursors.TryGetValue(record.TopicPartition, out var cursor) || cursor.NeedsPosition || cursor.Paused)
                continue;
            if (records.Count == 0)
                deadline = Stopwatch.GetTimestamp() + (long)(_options.BatchWait.TotalSeconds * Stopwatch.Frequency);
            records.Add(record);
        }
        return records;
    }

    void Process(List<ConsumeResult<string, byte[]>> records, bool sweep, CancellationToken stopping)
    {
        if (_cursors.Values.Any(c => c.NeedsPosition) && !TryReposition(_cursors.Where(c => c.Value.NeedsPosition).Select(c => c.Key).ToList()))
            return;
        try
        {
            var request = Prepare(records, sweep, stopping);
            if (request is null)
                return;
            Apply(request, stopping);
            _failuresInARow = 0;
            _error = null;
            if (sweep)
                _nextSweep = Stopwatch.GetTimestamp() + (long)(SweepInterval.TotalSeconds * Stopwatch.Frequency);
        }
        catch (Exception e) when (!stopping.IsCancellationRequested)
        {
            Failed(records.Select(r => r.TopicPartition).Distinct().ToList(), e, stopping);
        }
    }

    TimeSpan SweepInterval => TimeSpan.FromTicks(Math.Clamp(_options.GapTimeout.Ticks / 4, TimeSpan.FromMilliseconds(200).Ticks, TimeSpan.FromSeconds(5).Ticks));

    /// <summary>Decodes the records; an unreadable one is dead-lettered (or, if that fails, the batch is read again later).</summary>
    BatchRequest? Prepare(List<ConsumeResult<string, byte[]>> records, bool sweep, CancellationToken stopping)
    {
        var events = new List<ReadEvent>(records.Count);
        foreach (var record in records)
        {
            var decoded = _decoder.Decode(record);
            switch (decoded.Outcome)
            {
                case DecodeOutcome.Event:
                    events.Add(new ReadEvent(decoded.Event!, record.Topic, record.Partition.Value, record.Offset.Value));
                    break;
                case DecodeOutcome.Unreadable:
                    _counters.Unreadable();
                    _metrics.Unreadable(Name);
                    var action = _failures.Handle(new FailedRecord(Name, Group, record, RecordFailure.Unreadable, decoded.Reason!, null, 1), stopping)
                        .GetAwaiter().GetResult();
                    if (action != FailedRecordAction.Skip)
                        throw new InvalidOperationException(
                            $"The unreadable record {record.TopicPartitionOffset} could not be dead-lettered; it is read again later.");
                    break;
                case DecodeOutcome.Invalid:
                    _counters.Invalid();
                    _metrics.Invalid(Name);
                    // Classified by its exception, as a Kafka endpoint's invalid record is: fault "invalid", its key not held.
                    var dealt = _failures.Handle(new FailedRecord(Name, Group, record, RecordFailure.ProcessingFailed, decoded.Reason!,
                        decoded.Violation, 1), stopping).GetAwaiter().GetResult();
                    if (dealt != FailedRecordAction.Skip)
                        throw new InvalidOperationException(
                            $"The invalid record {record.TopicPartitionOffset} could not be dead-lettered; it is read again later.");
                    break;
            }
        }

        var partitions = records.GroupBy(r => r.TopicPartition)
            .Select(g => new PartitionRead(g.Key.Topic, g.Key.Partition.Value, _cursors[g.Key].Stored, g.Max(r => r.Offset.Value) + 1))
            .ToList();
        return new BatchRequest(_version, VersionRole.Active, events, partitions, sweep);
    }

    void Apply(BatchRequest request, CancellationToken stopping)
    {
        for (var attempt = 1;; attempt++)
        {
            var result = _applier.Apply(request, stopping).GetAwaiter().GetResult();
            switch (result.Status)
            {
                case BatchStatus.Committed:
                    Committed(request, result);
                    return;
                case BatchStatus.Conflict when attempt < ConflictAttempts:
                    _counters.Conflict();
                    Thread.Sleep(10 * attempt);
                    continue;
                case BatchStatus.Conflict:
                    throw new InvalidOperationException($"Another member kept changing the same rows ({ConflictAttempts} attempts).");
                default:
                    _logger.LogInformation("Projection {Projection}: {Status}; reading from the stored positions of the live version", Name, result.Status);
                    Reposition(_cursors.Keys.ToList());
                    return;
            }
        }
    }

    void Committed(BatchRequest request, BatchResult result)
    {
        foreach (var read in request.Partitions)
        {
            var partition = new TopicPartition(read.Topic, read.Partition);
            if (_cursors.TryGetValue(partition, out var cursor))
                cursor.Stored = read.NextOffset;
            try
            {
                // Kafka's committed offset only mirrors the stored position, for tools that watch lag.
                _consumer!.StoreOffset(new TopicPartitionOffset(partition, read.NextOffset));
            }
            catch (KafkaException)
            {
                // The partition is being taken away; its next owner starts from the database anyway.
            }
        }
        _counters.Add(result);
        _metrics.Counted(Name, result);
        foreach (var (key, gap) in result.Gaps)
            _logger.LogWarning(
                "Projection {Projection} gave up waiting for events {From} to {To} of {Key} after {GapTimeout}: it applied what followed them ({Missing} missing)",
                Name, gap.From, gap.To, key, _options.GapTimeout, gap.Count);
        _waiters.Applied(Name, result.AppliedKeys);
    }

    /// <summary>Pauses the partitions, waits, then reads them again from their stored positions.</summary>
    void Failed(IReadOnlyCollection<TopicPartition> partitions, Exception e, CancellationToken stopping)
    {
        _failuresInARow++;
        _counters.Failure();
        _error = e.Message;
        var backoff = Backoff(_failuresInARow);
        _logger.LogError(e, "Projection {Projection} could not apply a batch ({Failures} failure(s) in a row); reading it again in {Backoff}",
            Name, _failuresInARow, backoff);
        var all = _cursors.Keys.ToList();
        foreach (var cursor in _cursors.Values)
            cursor.Paused = true;
        _consumer!.Pause(all);
        // Keep polling while paused: the member stays in its group and follows rebalances.
        var until = Stopwatch.GetTimestamp() + (long)(backoff.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < until && !stopping.IsCancellationRequested)
            _consumer.Consume(PollTimeout);
        TryReposition(_cursors.Keys.ToList());
    }

    bool TryReposition(List<TopicPartition> partitions)
    {
        try
        {
            Reposition(partitions);
            return true;
        }
        catch (Exception e)
        {
            _error = $"The database did not answer: {e.Message}";
            _logger.LogWarning(e, "Projection {Projection} could not read its positions; trying again", Name);
            foreach (var partition in partitions.Where(_cursors.ContainsKey))
                _cursors[partition].NeedsPosition = true;
            Thread.Sleep(RetryBackoff);
            return false;
        }
    }

    static TimeSpan Backoff(int failures) =>
        TimeSpan.FromTicks(Math.Min(RetryBackoffMax.Ticks, RetryBackoff.Ticks * (1L << Math.Min(failures - 1, 10))));

    /// <summary>Records not yet applied on this member's partitions, from librdkafka's cached watermarks (no broker request).</summary>
    void RefreshLag()
    {
        var now = Stopwatch.GetTimestamp();
        if (now < _nextLagRefresh)
            return;
        _nextLagRefresh = now + Stopwatch.Frequency;
        long lag = 0, position = 0;
        foreach (var (partition, cursor) in _cursors)
        {
            try
            {
                var watermarks = _consumer!.GetWatermarkOffsets(partition);
                var next = cursor.Stored ?? Math.Max(0, watermarks.Low.Value);
                position += next;
                if (watermarks.High.Value >= 0)
                    lag += Math.Max(0, watermarks.High.Value - next);
            }
            catch (KafkaException)
            {
                // Being revoked.
            }
        }
        Interlocked.Exchange(ref _localLag, lag);
        Interlocked.Exchange(ref _position, position);
    }

    public async Task<string?> WhyNotMove(IReadOnlyDictionary<TopicPartition, long> targets, CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DbContext>();
        var version = await ProjectionVersions.Active(db, Name, cancellationToken);
        var positions = await db.Set<ProjectionPosition>().AsNoTracking().Where(p => p.Projection == Name && p.Version == version)
            .ToDictionaryAsync(p => (p.Topic, p.Partition), cancellationToken);
        var skipped = new List<string>();
        foreach (var (partition, target) in targets)
        {
            var next = positions.GetValueOrDefault((partition.Topic, partition.Partition.Value))?.NextOffset
                       ?? await Task.Run(() => _admin.QueryWatermarks(partition).Low.Value, cancellationToken);
            if (target > next)
                skipped.Add($"{partition.Topic}[{partition.Partition.Value}] {next}..{target - 1}");
        }
        return skipped.Count == 0
            ? null
            : $"Projection '{Name}' has not applied {string.Join(", ", skipped)}: moving its group forward would skip those events for good. " +
              $"Move it back (or rebuild it: POST /projections/{Name}/rebuild).";
    }

    /// <summary>
    /// A consumer-group reset: the stored positions of the live version move back to the targets (records up
    /// to where it had applied are read again and passed over), and Kafka's committed offsets with them.
    /// </summary>
    public Task<IReadOnlyDictionary<TopicPartition, long?>> Move(IReadOnlyDictionary<TopicPartition, long> targets, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<IReadOnlyDictionary<TopicPartition, long?>>(TaskCreationOptions.RunContinuationsAsynchronously);
        _requests.Enqueue(() =>
        {
            try
            {
                done.SetResult(MoveOnLoop(targets));
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        });
        return done.Task;
    }

    IReadOnlyDictionary<TopicPartition, long?> MoveOnLoop(IReadOnlyDictionary<TopicPartition, long> targets)
    {
        if (targets.Keys.FirstOrDefault(p => !_cursors.ContainsKey(p)) is { } gone)
            throw new InvalidOperationException($"Projection {Name} no longer owns {gone}.");

        using var scope = _scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<DbContext>();
        using var transaction = db.Database.BeginTransaction();
        var version = VersionRows.Read(db, Name, forUpdate: false, CancellationToken.None).GetAwaiter().GetResult()?.Active ?? ProjectionVersions.First;
        var rows = db.Set<ProjectionPosition>().Where(p => p.Projection == Name && p.Version == version).ToDictionary(p => (p.Topic, p.Partition));
        var before = new Dictionary<TopicPartition, long?>();
        foreach (var (partition, target) in targets)
        {
            var row = rows.GetValueOrDefault((partition.Topic, partition.Partition.Value));
            before[partition] = row?.NextOffset;
            if (row is null)
                db.Add(new ProjectionPosition { Projection = Name, Version = version, Topic = partition.Topic, Partition = partition.Partition.Value, NextOffset = target });
            else if (target > row.NextOffset)
                throw new InvalidOperationException($"Projection {Name} would skip {partition}: {row.NextOffset}..{target - 1} were not applied.");
            else
            {
                row.NextOffset = target;
                row.Revision++;
            }
        }
        db.SaveChanges();
        transaction.Commit();
        Volatile.Write(ref _version, version);

        var offsets = targets.Select(t => new TopicPartitionOffset(t.Key, t.Value)).ToList();
        _consumer!.Commit(offsets);
        foreach (var offset in offsets)
        {
            var cursor = _cursors[offset.TopicPartition];
            cursor.Stored = offset.Offset.Value;
            cursor.NeedsPosition = false;
            _consumer.StoreOffset(offset);
            _consumer.Seek(offset);
        }
        _logger.LogWarning("Projection {Projection} moved {Partitions} (consumer-group reset); what it applied before is read again and passed over",
            Name, offsets.Select(o => $"{o.TopicPartition}: {before[o.TopicPartition]?.ToString() ?? "-"} -> {o.Offset.Value}"));
        return before;
    }

    /// <summary>One assigned partition, as the consuming thread tracks it.</summary>
    sealed class Cursor
    {
        /// <summary>The stored position the next batch starts from (null: none stored, reading from the beginning).</summary>
        public long? Stored { get; set; }

        /// <summary>Its stored position could not be read yet: its records are passed over until it is.</summary>
        public bool NeedsPosition { get; set; }

        /// <summary>Paused after a failed batch; read again from its stored position after the back-off.</summary>
        public bool Paused { get; set; }
    }
}

/// <summary>What this host's runner of a projection is doing.</summary>
/// <param name="Running">True while it consumes.</param>
/// <param name="Error">Why its last batch failed, until one succeeds.</param>
/// <param name="Version">The version it applies to.</param>
/// <param name="LocalLag">Records on its partitions not yet applied (about once a second).</param>
/// <param name="LocalPosition">The sum of its partitions' stored positions.</param>
/// <param name="Counters">What it has done since it started.</param>
public sealed record RunnerStatus(bool Running, string? Error, int Version, long LocalLag, long LocalPosition, RunnerCountersSnapshot Counters);
