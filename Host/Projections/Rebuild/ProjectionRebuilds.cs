using System.Collections.Concurrent;
using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SagaEngine.Host.Kafka.Clients;
using SagaEngine.Host.Kafka.Configuration;
using SagaEngine.Host.Kafka.EmbeddedBroker;
using SagaEngine.Host.Kafka.GroupReset;
using SagaEngine.Host.Projections.Applying;
using SagaEngine.Host.Projections.Storage;
using SagaEngine.Host.Schemas;

namespace SagaEngine.Host.Projections.Rebuild;

/// <summary>
/// Rebuilds a projection without downtime (blue/green): a new version is built into the tables of the
/// other slot from the complete history (<see cref="IEventHistory"/>), then catches up with the live
/// topics, de-duplicating by sequence number, and is swapped in with one update of the projection's
/// version row, in the transaction that applies its last records. Until then the old version answers
/// every query; a rebuild that fails, or whose host dies, leaves it serving.
/// </summary>
/// <remarks>
/// Without an event history (no event store) the rebuild reads the live topics from the oldest record
/// they retain: it can only rebuild what Kafka still keeps.
/// </remarks>
public sealed class ProjectionRebuilds : IHostedService
{
    /// <summary>How often a running rebuild shows it is alive; one silent for <see cref="StaleAfter"/> is taken as dead.</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(2);

    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(10);

    /// <summary>How long the swap may hold the projection's version row while it reads the last records the live version is ahead by.</summary>
    static readonly TimeSpan SwapCatchUpLimit = TimeSpan.FromSeconds(5);

    /// <summary>How long the history may answer nothing short of the end it had when the rebuild began before the rebuild goes on to the topics.</summary>
    static readonly TimeSpan HistoryStallLimit = TimeSpan.FromSeconds(5);

    readonly ProjectionRegistry _registry;
    readonly IServiceScopeFactory _scopes;
    readonly ProjectionsOptions _options;
    readonly KafkaOptions _kafka;
    readonly KafkaClientConfigs _configs;
    readonly KafkaAdmin _admin;
    readonly IMessageSchemas _schemas;
    readonly TimeProvider _clock;
    readonly ILogger<ProjectionRebuilds> _logger;
    readonly IEventHistory? _history;
    readonly RetentionHolds _retention;
    readonly CancellationTokenSource _stopping = new();
    readonly ConcurrentDictionary<string, Task> _running = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, Progress> _progress = new(StringComparer.Ordinal);

    public ProjectionRebuilds(ProjectionRegistry registry, IServiceScopeFactory scopes, IOptions<ProjectionsOptions> options,
        IOptions<KafkaOptions> kafka, KafkaClientConfigs configs, KafkaAdmin admin, IMessageSchemas schemas, TimeProvider clock,
        RetentionHolds retention, ILogger<ProjectionRebuilds> logger, IEventHistory? history = null)
    {
        _registry = registry;
        _scopes = scopes;
        _options = options.Value;
        _kafka = kafka.Value;
        _configs = configs;
        _admin = admin;
        _schemas = schemas;
        _clock = clock;
        _logger = logger;
        _history = history;
        _retention = retention;
    }

    /// <summary>True when rebuilds start from an event history; false when only Kafka's retention is there to read.</summary>
    public bool HasHistory => _history is not null;

    DateTime Now => _clock.GetUtcNow().UtcDateTime;

    /// <summary>Events read so far by the rebuild of <paramref name="projection"/> running in this host; null when none runs here.</summary>
    public long? Running(string projection) => _progress.TryGetValue(projection, out var progress) ? Interlocked.Read(ref progress.Events) : null;

    /// <summary>Starts a rebuild of <paramref name="name"/> in the background, unless one is running (in any host).</summary>
    public async Task<RebuildStart> Start(string name, CancellationToken cancellationToken)
    {
        if (_registry.Find(name) is not { } projection)
            return new RebuildStart(RebuildStartStatus.UnknownProjection, null, $"No projection is named '{name}'.");

        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DbContext>();
        await ProjectionVersions.Ensure(db, name, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var row = (await VersionRows.Read(db, name, forUpdate: true, cancellationToken))!;
        var now = Now;
        if (row.Rebuilding is { } running)
        {
            if (now - row.RebuildHeartbeatAt < StaleAfter)
                return new RebuildStart(RebuildStartStatus.AlreadyRunning, running,
                    $"Version {running} of '{name}' is being rebuilt (started {row.RebuildStartedAt:O}).");
            Finished(row, running, "interrupted", "The host running it stopped before it finished.", now);
        }

        var version = row.LastVersion + 1;
        if (ProjectionSlot.Of(version) == ProjectionSlot.Of(row.Active))
            version++;
        row.LastVersion = version;
        row.Rebuilding = version;
        row.RebuildStartedAt = now;
        row.RebuildHeartbeatAt = now;
        row.RebuildPhase = HasHistory ? "history" : "catch-up";
        row.RebuildEvents = 0;
        row.RebuildHistoryPosition = null;
        row.RebuildHistoryEnd = null;
        row.RebuildBehind = null;
        // The slot the new version takes is the one a swapped-out version left: it is emptied now, not later.
        if (row.Retired is { } retired && ProjectionSlot.Of(retired) == ProjectionSlot.Of(version))
            row.Retired = null;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        _logger.LogWarning("Rebuilding projection {Projection} as version {Version} in the {Slot} tables, from {Source}; version {Active} serves meanwhile",
            name, version, ProjectionSlot.Of(version), HasHistory ? "the event history" : "the oldest records Kafka retains", row.Active);
        // Not in the request's logging scope or trace: the rebuild outlives the request.
        using (ExecutionContext.SuppressFlow())
            _running[name] = Task.Run(() => Run(projection, version, row.Active, _stopping.Token));
        return new RebuildStart(RebuildStartStatus.Started, version, null);
    }

    async Task Run(IProjection projection, int version, int active, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var decoder = new EventDecoder(projection, _schemas);
        var applier = new BatchApplier(projection, decoder, _scopes, _clock, _options.GapTimeout);
        var progress = new Progress();
        _progress[projection.Name] = progress;
        // The catch-up reads the topics from where the live version stood when the rebuild began.
        using var hold = _retention.Hold();
        try
        {
            await using (var scope = _scopes.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<DbContext>();
                await VersionCleanup.ClearTables(db, projection, ProjectionSlot.Of(version), cancellationToken);
                await VersionCleanup.DeleteBookkeeping(db, projection.Name, version, cancellationToken);
            }

            var startedAt = Now;
            var live = await Positions(projection.Name, active, cancellationToken);
            if (_history is not null)
                await ReadHistory(projection, version, applier, decoder, progress, cancellationToken);
            await CatchUp(projection, version, applier, decoder, progress, live, startedAt, cancellationToken);

            _logger.LogWarning(
                "Projection {Projection} version {Version} is live: {Events} events in {Seconds:0.0} s ({Rate:0} events/s); " +
                "the history took {Reading:0.0} s to read and {Decoding:0.0} s to decode, while batches took {Applying:0.0} s to apply",
                projection.Name, version, progress.Events, watch.Elapsed.TotalSeconds, progress.Events / Math.Max(0.001, watch.Elapsed.TotalSeconds),
                progress.Reading.TotalSeconds, progress.Decoding.TotalSeconds, progress.Applying.TotalSeconds);
            _registry.Runner(projection.Name)?.Resync();
            _ = RetireLater(projection, cancellationToken);
        }
        catch (Exception e)
        {
            var interrupted = cancellationToken.IsCancellationRequested;
            if (!interrupted)
                _logger.LogError(e, "Rebuilding projection {Projection} as version {Version} failed; the live version keeps serving", projection.Name, version);
            await Abandon(projection, version, interrupted ? "interrupted" : "failed",
                interrupted ? "The host stopped before the rebuild finished." : e.Message, progress.Events, watch.Elapsed);
        }
        finally
        {
            _running.TryRemove(projection.Name, out _);
            _progress.TryRemove(projection.Name, out _);
        }
    }

    /// <summary>
    /// Folds the history into the new version, page by page. The next page is read and decoded while the current one
    /// is applied: the store's reads and the JSON work run on one connection and core, the batch's writes on another.
    /// </summary>
    async Task ReadHistory(IProjection projection, int version, BatchApplier applier, EventDecoder decoder, Progress progress,
        CancellationToken cancellationToken)
    {
        var end = await _history!.LastPosition(cancellationToken);
        long position = 0;
        await SetProgress(projection.Name, version, r => r.RebuildHistoryEnd = end, cancellationToken);
        var emptySince = (long?)null;
        var next = ReadPage(decoder, position, progress, cancellationToken);
        while (true)
        {
            var page = await next;
            if (page.Count == 0)
            {
                // Short of the end it had when the rebuild began, an empty read is a feed waiting for writers still
                // in flight (PostgreSQL commits positions out of order): ask again, for a while. What it never hands
                // out is recent, and the catch-up on the live topics reads it.
                if (position >= (end ?? 0) || Stopwatch.GetElapsedTime(emptySince ??= Stopwatch.GetTimestamp()) > HistoryStallLimit)
                    return;
                await Task.Delay(50, cancellationToken);
                next = ReadPage(decoder, position, progress, cancellationToken);
                continue;
            }
            emptySince = null;
            position = page.Last;
            next = ReadPage(decoder, position, progress, cancellationToken);

            progress.Events += page.Count;
            var (reached, count) = (position, progress.Events);
            var applying = Stopwatch.GetTimestamp();
            try
            {
                await Apply(applier, new BatchRequest(version, VersionRole.Rebuilding, page.Events, [],
                    AlsoInTransaction: (db, token) => Heartbeat(db, projection.Name, version, r =>
                    {
                        r.RebuildHistoryPosition = reached;
                        r.RebuildEvents = count;
                    }, token)), cancellationToken);
            }
            catch
            {
                // The page read ahead is not wanted any more; its failure, if any, is not this one's.
                _ = next.ContinueWith(t => t.Exception, TaskScheduler.Default);
                throw;
            }
            progress.Applying += Stopwatch.GetElapsedTime(applying);
        }
    }

    /// <summary>The history's events after <paramref name="after"/>, decoded, on a thread of their own.</summary>
    Task<HistoryPage> ReadPage(EventDecoder decoder, long after, Progress progress, CancellationToken cancellationToken) => Task.Run(async () =>
    {
        var started = Stopwatch.GetTimestamp();
        var events = await _history!.Read(after, _options.RebuildBatchSize, cancellationToken);
        var decoding = Stopwatch.GetTimestamp();
        var read = new List<ReadEvent>(events.Count);
        foreach (var e in events)
        {
            var decoded = decoder.Decode(e.Type, e.SchemaVersion, e.Data, e.OccurredAt, $"history@{e.Position}");
            if (decoded.Outcome == DecodeOutcome.Unreadable)
                throw new InvalidOperationException(
                    $"The event at history position {e.Position} ({e.Type}, version {e.SchemaVersion}, of {e.StreamId}) cannot be read: {decoded.Reason}");
            // An invalid event is one the live version dead-lettered and never applied: passed over here too.
            if (decoded.Event is { } incoming)
                read.Add(new ReadEvent(incoming, null, 0, e.Position));
        }
        progress.Reading += Stopwatch.GetElapsedTime(started, decoding);
        progress.Decoding += Stopwatch.GetElapsedTime(decoding);
        return new HistoryPage(read, events.Count, events.Count == 0 ? after : events[^1].Position);
    }, cancellationToken);

    /// <summary>A page of the history: the events this projection reads, of <paramref name="Count"/> read, up to <paramref name="Last"/>.</summary>
    sealed record HistoryPage(List<ReadEvent> Events, int Count, long Last);

    async Task CatchUp(IProjection projection, int version, BatchApplier applier, EventDecoder decoder, Progress progress,
        Dictionary<(string, int), ProjectionPosition> live, DateTime startedAt, CancellationToken cancellationToken)
    {
        var topology = _kafka.Endpoints[projection.Name];
        var counts = _admin.PartitionCounts();
        var partitions = topology.Topics.SelectMany(t => Enumerable.Range(0, counts.GetValueOrDefault(t)).Select(p => new TopicPartition(t, p))).ToList();
        var starts = await Task.Run(() => Starts(partitions, live, startedAt), cancellationToken);

        await using (var scope = _scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DbContext>();
            foreach (var (partition, start) in starts)
                db.Add(new ProjectionPosition
                {
                    Projection = projection.Name, Version = version, Topic = partition.Topic, Partition = partition.Partition.Value,
                    NextOffset = start, AppliedThrough = start
                });
            await Heartbeat(db, projection.Name, version, r => r.RebuildPhase = "catch-up", cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }

        var config = _configs.Consumer($"{topology.Group}-rebuild", $"sagaengine-rebuild-{projection.Name}");
        config.EnableAutoCommit = false;
        using var consumer = new ConsumerBuilder<string, byte[]>(config).Build();
        consumer.Assign(starts.Select(s => new TopicPartitionOffset(s.Key, s.Value)));
        var stored = starts.ToDictionary(s => s.Key, s => s.Value);
        // Catching up means reading at least what the topics held when catch-up began, whatever the live version has read.
        var ends = await Task.Run(() => partitions.ToDictionary(p => p, p => _admin.QueryWatermarks(p).High.Value), cancellationToken);
        try
        {
            var nextCheck = 0L;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var records = Collect(consumer, _options.RebuildBatchSize);
                if (records.Count > 0)
                    await Apply(applier, Request(projection, version, decoder, records, stored, progress), cancellationToken);
                else
                    // Nothing to read: the live version may still be ahead by records the embedded broker has not handed out yet.
                    await Task.Delay(10, cancellationToken);
                foreach (var record in records)
                    stored[record.TopicPartition] = Math.Max(stored[record.TopicPartition], record.Offset.Value + 1);

                if (records.Count == _options.RebuildBatchSize && Stopwatch.GetTimestamp() < nextCheck)
                    continue;
                nextCheck = Stopwatch.GetTimestamp() + Stopwatch.Frequency;
                var behind = await Behind(projection.Name, version, cancellationToken)
                             + ends.Sum(e => Math.Max(0, e.Value - stored[e.Key]));
                await SetProgress(projection.Name, version, r => r.RebuildBehind = behind, cancellationToken);
                if (behind <= _options.RebuildBatchSize
                    && await TrySwap(projection, version, applier, decoder, consumer, stored, ends, progress, cancellationToken))
                    return;
            }
        }
        finally
        {
            consumer.Close();
        }
    }

    /// <summary>
    /// Where catch-up starts on each partition. After the history: no later than where the live version
    /// stood when the rebuild began (everything before that was in the store by then) and no later than the
    /// first record of <c>RebuildOverlap</c> before it (for writers that appended to the store late).
    /// Without a history: the oldest record retained.
    /// </summary>
    Dictionary<TopicPartition, long> Starts(List<TopicPartition> partitions, Dictionary<(string, int), ProjectionPosition> live, DateTime startedAt)
    {
        using var byTime = _history is null ? null : new OffsetsByTime(_configs, _logger);
        return partitions.ToDictionary(p => p, p =>
        {
            var watermarks = _admin.QueryWatermarks(p);
            if (byTime is null)
                return watermarks.Low.Value;
            var liveNext = live.GetValueOrDefault((p.Topic, p.Partition.Value))?.NextOffset ?? watermarks.Low.Value;
            return Math.Max(watermarks.Low.Value, Math.Min(liveNext, byTime.OffsetFor(p, startedAt - _options.RebuildOverlap, watermarks)));
        });
    }

    static List<ConsumeResult<string, byte[]>> Collect(IConsumer<string, byte[]> consumer, int max)
    {
        var records = new List<ConsumeResult<string, byte[]>>();
        var wait = TimeSpan.FromMilliseconds(100);
        while (records.Count < max && consumer.Consume(wait) is { } record)
        {
            if (!record.IsPartitionEOF)
                records.Add(record);
            wait = TimeSpan.FromMilliseconds(5);
        }
        return records;
    }

    BatchRequest Request(IProjection projection, int version, EventDecoder decoder, List<ConsumeResult<string, byte[]>> records,
        Dictionary<TopicPartition, long> stored, Progress progress)
    {
        var events = new List<ReadEvent>(records.Count);
        foreach (var record in records)
        {
            // An unreadable record is the live runner's to dead-letter; the rebuild passes over it as the live version did.
            if (decoder.Decode(record) is { Outcome: DecodeOutcome.Event, Event: { } incoming })
                events.Add(new ReadEvent(incoming, record.Topic, record.Partition.Value, record.Offset.Value));
        }
        progress.Events += records.Count;
        var count = progress.Events;
        var partitions = records.GroupBy(r => r.TopicPartition)
            .Select(g => new PartitionRead(g.Key.Topic, g.Key.Partition.Value, stored[g.Key], g.Max(r => r.Offset.Value) + 1))
            .ToList();
        return new BatchRequest(version, VersionRole.Rebuilding, events, partitions,
            AlsoInTransaction: (db, token) => Heartbeat(db, projection.Name, version, r => r.RebuildEvents = count, token));
    }

    static async Task Apply(BatchApplier applier, BatchRequest request, CancellationToken cancellationToken)
    {
        for (var attempt = 1;; attempt++)
        {
            var result = await applier.Apply(request, cancellationToken);
            switch (result.Status)
            {
                case BatchStatus.Committed:
                    return;
                case BatchStatus.Conflict when attempt < 5:
                    await Task.Delay(10 * attempt, cancellationToken);
                    continue;
                case BatchStatus.VersionChanged:
                    throw new InvalidOperationException("The rebuild was taken over (marked interrupted, or started again elsewhere).");
                default:
                    throw new InvalidOperationException($"A batch of the rebuild was refused: {result.Status}.");
            }
        }
    }

    /// <summary>
    /// Swaps the new version in if it has caught up: holding the version row (so the live version's batches
    /// wait), reads the records the live version is still ahead by, applies them, and flips <c>Active</c>,
    /// all in one transaction. Queries therefore never see the new version behind the old one.
    /// </summary>
    async Task<bool> TrySwap(IProjection projection, int version, BatchApplier applier, EventDecoder decoder,
        IConsumer<string, byte[]> consumer, Dictionary<TopicPartition, long> stored, Dictionary<TopicPartition, long> ends, Progress progress,
        CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var row = await VersionRows.Read(db, projection.Name, forUpdate: true, cancellationToken);
        if (row?.Rebuilding != version)
            throw new InvalidOperationException("The rebuild was taken over (marked interrupted, or started again elsewhere).");

        var live = await db.Set<ProjectionPosition>().AsNoTracking().Where(p => p.Projection == projection.Name && p.Version == row.Active)
            .ToListAsync(cancellationToken);
        var deadline = Stopwatch.GetTimestamp() + (long)(SwapCatchUpLimit.TotalSeconds * Stopwatch.Frequency);
        var applied = new Dictionary<TopicPartition, long>(stored);
        bool Behind() => live.Any(p => applied.GetValueOrDefault(new TopicPartition(p.Topic, p.Partition)) < p.NextOffset)
                         || ends.Any(e => applied[e.Key] < e.Value);
        while (Behind())
        {
            if (Stopwatch.GetTimestamp() > deadline)
                return false;
            var records = Collect(consumer, _options.RebuildBatchSize);
            if (records.Count == 0)
                continue;
            var result = await applier.ApplyIn(db, Request(projection, version, decoder, records, applied, progress), cancellationToken);
            if (result.Status != BatchStatus.Committed)
                throw new InvalidOperationException($"The rebuild's last records were refused: {result.Status}.");
            foreach (var record in records)
                applied[record.TopicPartition] = Math.Max(applied[record.TopicPartition], record.Offset.Value + 1);
        }

        var old = row.Active;
        var now = Now;
        row.Active = version;
        row.Retired = old;
        row.SwappedAt = now;
        Finished(row, version, "completed", null, now);
        row.LastRebuildEvents = progress.Events;
        row.LastRebuildSeconds = row.RebuildStartedAt is { } started ? (now - started).TotalSeconds : null;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        foreach (var (partition, next) in applied)
            stored[partition] = next;
        return true;
    }

    static void Finished(ProjectionVersion row, int version, string outcome, string? error, DateTime at)
    {
        row.LastRebuildVersion = version;
        row.LastRebuildOutcome = outcome;
        row.LastRebuildError = error is { Length: > 2000 } ? error[..2000] : error;
        row.LastRebuildFinishedAt = at;
        row.LastRebuildEvents = row.RebuildEvents;
        row.LastRebuildSeconds = row.RebuildStartedAt is { } started ? (at - started).TotalSeconds : null;
        row.Rebuilding = null;
        row.RebuildPhase = null;
        row.RebuildBehind = null;
    }

    /// <summary>Records the new version still has to read to reach the live one, from both versions' stored positions.</summary>
    async Task<long> Behind(string projection, int version, CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DbContext>();
        var active = await ProjectionVersions.Active(db, projection, cancellationToken);
        var positions = await db.Set<ProjectionPosition>().AsNoTracking()
            .Where(p => p.Projection == projection && (p.Version == active || p.Version == version)).ToListAsync(cancellationToken);
        var mine = positions.Where(p => p.Version == version).ToDictionary(p => (p.Topic, p.Partition), p => p.NextOffset);
        return positions.Where(p => p.Version == active).Sum(p => Math.Max(0, p.NextOffset - mine.GetValueOrDefault((p.Topic, p.Partition))));
    }

    async Task<Dictionary<(string, int), ProjectionPosition>> Positions(string projection, int version, CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DbContext>();
        return await db.Set<ProjectionPosition>().AsNoTracking().Where(p => p.Projection == projection && p.Version == version)
            .ToDictionaryAsync(p => (p.Topic, p.Partition), cancellationToken);
    }

    /// <summary>Progress and heartbeat, written with the batch: the version row is already tracked by the batch's version check.</summary>
    async Task Heartbeat(DbContext db, string projection, int version, Action<ProjectionVersion> more, CancellationToken cancellationToken)
    {
        var row = await db.Set<ProjectionVersion>().FindAsync([projection], cancellationToken);
        if (row?.Rebuilding != version)
            return;
        row.RebuildHeartbeatAt = Now;
        more(row);
    }

    async Task SetProgress(string projection, int version, Action<ProjectionVersion> change, CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DbContext>();
        var row = await db.Set<ProjectionVersion>().SingleAsync(v => v.Projection == projection, cancellationToken);
        if (row.Rebuilding != version)
            throw new InvalidOperationException("The rebuild was taken over (marked interrupted, or started again elsewhere).");
        change(row);
        row.RebuildHeartbeatAt = Now;
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Marks the rebuild failed or interrupted (if it is still the one recorded) and removes what it wrote.</summary>
    async Task Abandon(IProjection projection, int version, string outcome, string error, long events, TimeSpan elapsed)
    {
        try
        {
            await using var scope = _scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<DbContext>();
            var row = await db.Set<ProjectionVersion>().SingleAsync(v => v.Projection == projection.Name);
            if (row.Rebuilding == version)
            {
                row.RebuildEvents = events;
                Finished(row, version, outcome, error, Now);
                row.LastRebuildSeconds = elapsed.TotalSeconds;
                await db.SaveChangesAsync();
            }
            if (outcome == "failed")
                await Retire(projection, version, CancellationToken.None);
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "Could not record that the rebuild of {Projection} version {Version} {Outcome}", projection.Name, version, outcome);
        }
    }

    /// <summary>After a swap, queries that were reading the old version get a moment to finish before its tables are emptied.</summary>
    async Task RetireLater(IProjection projection, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(_options.RetiredVersionGrace, cancellationToken);
            await using var scope = _scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<DbContext>();
            var row = await db.Set<ProjectionVersion>().AsNoTracking().SingleAsync(v => v.Projection == projection.Name, cancellationToken);
            if (row.Retired is { } retired)
                await Retire(projection, retired, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            _logger.LogWarning(e, "Could not empty the swapped-out version of projection {Projection}; the next rebuild will", projection.Name);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// Empties a version that no longer serves: its slot's tables, unless the slot is live or being built
    /// (checked while holding the version row, so a rebuild starting now cannot be emptied), and its bookkeeping.
    /// </summary>
    async Task Retire(IProjection projection, int version, CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DbContext>();
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var row = (await VersionRows.Read(db, projection.Name, forUpdate: true, cancellationToken))!;
            var slot = ProjectionSlot.Of(version);
            if (slot != ProjectionSlot.Of(row.Active) && (row.Rebuilding is null || slot != ProjectionSlot.Of(row.Rebuilding.Value)))
                await VersionCleanup.ClearTables(db, projection, slot, cancellationToken);
            if (row.Retired == version)
                row.Retired = null;
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        if (version != (await ProjectionVersions.Active(db, projection.Name, cancellationToken)))
            await VersionCleanup.DeleteBookkeeping(db, projection.Name, version, cancellationToken);
        _logger.LogInformation("Projection {Projection}: version {Version} emptied", projection.Name, version);
    }

    /// <summary>At start-up: rebuilds whose host died are marked interrupted, and versions nothing serves any more are emptied.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = Task.Run(() => Tidy(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    async Task Tidy(CancellationToken cancellationToken)
    {
        foreach (var projection in _registry.Projections)
        {
            try
            {
                await using var scope = _scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<DbContext>();
                var row = await db.Set<ProjectionVersion>().SingleOrDefaultAsync(v => v.Projection == projection.Name, cancellationToken);
                if (row is null)
                    continue;
                if (row.Rebuilding is { } running && Now - row.RebuildHeartbeatAt >= StaleAfter)
                {
                    Finished(row, running, "interrupted", "The host running it stopped before it finished.", Now);
                    await db.SaveChangesAsync(cancellationToken);
                }
                foreach (var leftover in await VersionCleanup.Leftovers(db, row, cancellationToken))
                    await Retire(projection, leftover, cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                _logger.LogWarning(e, "Could not tidy the versions of projection {Projection}", projection.Name);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        try
        {
            await Task.WhenAll(_running.Values).WaitAsync(cancellationToken);
        }
        catch (Exception)
        {
            // Each rebuild recorded how it ended.
        }
    }

    sealed class Progress
    {
        public long Events;

        /// <summary>Time spent reading the history, decoding it, and applying it (the first two overlap the third).</summary>
        public TimeSpan Reading, Decoding, Applying;
    }
}

public enum RebuildStartStatus
{
    Started,
    UnknownProjection,
    AlreadyRunning
}

public sealed record RebuildStart(RebuildStartStatus Status, int? Version, string? Detail);
