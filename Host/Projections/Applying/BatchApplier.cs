using Microsoft.EntityFrameworkCore;
using SagaEngine.Host.Persistence.Writes;
using SagaEngine.Host.Projections.Storage;

namespace SagaEngine.Host.Projections.Applying;

/// <summary>
/// Applies one batch of a projection's events in one database transaction: checks that the version is
/// still the one meant and that no one else moved its positions, passes each stream's events through its
/// <see cref="SequenceGate{T}"/> (applied once, in order; ahead of a gap held; overdue gaps given up),
/// lets the projection change its rows, and writes the streams' bookkeeping, the held events and the new
/// positions with them. Nothing is written unless all of it is. A batch in a transaction of its own sends
/// its rows with the COMMIT (<see cref="CommitBatch"/>): one round trip, and one statement a table, for
/// what is most often a few rows each of several tables.
/// </summary>
public sealed class BatchApplier(
    IProjection projection, EventDecoder decoder, IServiceScopeFactory scopes, TimeProvider clock, TimeSpan gapTimeout)
{
    /// <summary>At most this many streams' overdue gaps are given up in one batch.</summary>
    const int MaxOverdueKeysPerBatch = 500;

    /// <summary>Applies the batch in a transaction of its own, and commits it if it was applied.</summary>
    public async Task<BatchResult> Apply(BatchRequest request, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DbContext>();
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            // A failed save refuses the whole batch (rolled back with the transaction), so EF's savepoint around it buys nothing.
            db.Database.AutoSavepointsEnabled = false;
            var result = await Applied(db, request, scope.ServiceProvider.GetRequiredService<CommitBatch>(), cancellationToken);
            if (result.Status == BatchStatus.Committed)
                await transaction.CommitAsync(cancellationToken);
            return result;
        }
        catch (DbUpdateException) when (!cancellationToken.IsCancellationRequested)
        {
            // Another member changed the same streams or positions first (a concurrency token, a key taken), found
            // by the save or by the commit's held rows: nothing of this batch was written; it is applied again on
            // what that member left.
            return BatchResult.Refused(BatchStatus.Conflict);
        }
        finally
        {
            db.Database.AutoSavepointsEnabled = true;
        }
    }

    /// <summary>
    /// Applies the batch inside the caller's open transaction and saves it there (a rebuild's swap applies
    /// its last records and flips the version in one transaction); the caller commits. A refused batch saves nothing.
    /// </summary>
    public Task<BatchResult> ApplyIn(DbContext db, BatchRequest request, CancellationToken cancellationToken) =>
        Applied(db, request, heldForCommit: null, cancellationToken);

    /// <summary>Applies the batch; with <paramref name="heldForCommit"/>, its rows are held for the commit that follows at once.</summary>
    async Task<BatchResult> Applied(DbContext db, BatchRequest request, CommitBatch? heldForCommit, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var version = await VersionRows.Read(db, projection.Name, forUpdate: false, cancellationToken);
        if (!IsStillMeant(version, request))
            return BatchResult.Refused(BatchStatus.VersionChanged);

        var positions = await db.Set<ProjectionPosition>()
            .Where(p => p.Projection == projection.Name && p.Version == request.Version)
            .ToDictionaryAsync(p => (p.Topic, p.Partition), cancellationToken);
        foreach (var read in request.Partitions)
            if (positions.GetValueOrDefault((read.Topic, read.Partition))?.NextOffset != read.ExpectedNextOffset)
                return BatchResult.Refused(BatchStatus.PositionMoved);

        // Read again after a consumer-group reset moved the position back: applied before, passed over now.
        var events = request.Events
            .Where(e => e.Topic is null || e.Offset >= (positions.GetValueOrDefault((e.Topic, e.Partition))?.AppliedThrough ?? 0))
            .ToList();
        var replayed = request.Events.Count - events.Count;

        var result = await ApplyEvents(db, request.Version, events, request.SweepGaps, now, cancellationToken);
        WritePositions(db, request, positions, result.LastEventAtByPartition);
        if (request.AlsoInTransaction is { } also)
            await also(db, cancellationToken);

        // Held rows go with the commit; what cannot be held (more rows than one command binds cheaply) is saved here.
        if (heldForCommit?.HoldTrackedChanges(db) != true)
        {
            await BulkInserts.Write(db, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }
        return result.Outcome with { Replayed = replayed };
    }

    static bool IsStillMeant(ProjectionVersion? version, BatchRequest request) => request.Role switch
    {
        VersionRole.Active => version?.Active == request.Version,
        VersionRole.Rebuilding => version?.Rebuilding == request.Version,
        _ => false
    };

    async Task<(BatchResult Outcome, Dictionary<(string, int), DateTime> LastEventAtByPartition)> ApplyEvents(
        DbContext db, int version, List<ReadEvent> events, bool sweepGaps, DateTime now, CancellationToken cancellationToken)
    {
        var arrivals = events.GroupBy(e => e.Event.Event.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var keys = arrivals.Keys.ToList();
        if (sweepGaps)
        {
            var overdue = await db.Set<HeldEvent>().AsNoTracking()
                .Where(h => h.Projection == projection.Name && h.Version == version && h.HeldSince <= now - gapTimeout)
                .Select(h => h.Key).Distinct().OrderBy(k => k).Take(MaxOverdueKeysPerBatch).ToListAsync(cancellationToken);
            keys.AddRange(overdue.Where(k => !arrivals.ContainsKey(k)));
        }

        // EF.Parameter: the keys as one JSON parameter. EF Core 10 would otherwise bind each as a parameter of its own, and
        // SQLite looks each named parameter up by walking the statement's list: thousands of keys cost millions of comparisons.
        var rows = keys.Count == 0
            ? new Dictionary<string, ProjectionKey>(StringComparer.Ordinal)
            : await db.Set<ProjectionKey>()
                .Where(k => k.Projection == projection.Name && k.Version == version && EF.Parameter(keys).Contains(k.Key))
                .ToDictionaryAsync(k => k.Key, StringComparer.Ordinal, cancellationToken);
        var withHeld = rows.Values.Where(r => r.Held > 0).Select(r => r.Key).ToList();
        var heldRows = withHeld.Count == 0
            ? []
            : await db.Set<HeldEvent>()
                .Where(h => h.Projection == projection.Name && h.Version == version && EF.Parameter(withHeld).Contains(h.Key))
                .ToListAsync(cancellationToken);
        var heldByKey = heldRows.ToLookup(h => h.Key, StringComparer.Ordinal);

        var toApply = new List<ReadEvent>();
        var gaps = new List<(string Key, GivenUpGap Gap)>();
        var appliedKeys = new Dictionary<string, int?>(StringComparer.Ordinal);
        var lastEventAt = new Dictionary<(string, int), DateTime>();
        int duplicates = 0, held = 0;

        foreach (var key in keys)
        {
            var row = rows.GetValueOrDefault(key);
            var undecodable = 0;
            var stored = new List<SequenceGate<ReadEvent>.HeldEntry>();
            foreach (var h in heldByKey[key])
            {
                var decoded = decoder.Decode(h.MessageType, h.SchemaVersion, h.Body, h.OccurredAt, h.Source);
                if (decoded.Event is { } e)
                    stored.Add(new SequenceGate<ReadEvent>.HeldEntry(h.Sequence, h.HeldSince, new ReadEvent(e, null, 0, 0)));
                else
                {
                    // Held by a release that could read it and this one cannot: nothing else can be done with it.
                    db.Remove(h);
                    undecodable++;
                }
            }

            var gate = new SequenceGate<ReadEvent>(row?.LastSequence, stored);
            foreach (var arrival in arrivals.GetValueOrDefault(key) ?? [])
                gate.Arrive(arrival.Event.Event.Sequence, arrival, now);
            gate.ReleaseOverdue(now, gapTimeout);

            duplicates += gate.Duplicates.Count;
            gaps.AddRange(gate.GapsGivenUp.Select(g => (key, g)));
            var before = stored.Select(s => s.Sequence).ToHashSet();
            var after = gate.Held.Select(h => h.Sequence).ToHashSet();
            foreach (var released in heldByKey[key].Where(h => before.Contains(h.Sequence) && !after.Contains(h.Sequence)))
                db.Remove(released);
            foreach (var entry in gate.Held.Where(h => !before.Contains(h.Sequence)))
            {
                held++;
                db.Add(Held(version, key, entry));
            }

            var changed = gate.ToApply.Count > 0 || !before.SetEquals(after) || undecodable > 0;
            if (!changed)
                continue;
            if (row is null)
            {
                row = new ProjectionKey { Projection = projection.Name, Version = version, Key = key };
                db.Add(row);
                rows[key] = row;
            }
            else
                row.Revision++;
            row.LastSequence = gate.LastApplied;
            row.Held = after.Count;
            row.AppliedAt = now;

            toApply.AddRange(gate.ToApply);
            if (gate.ToApply.Count > 0)
                appliedKeys[key] = gate.LastApplied;
            foreach (var applied in gate.ToApply.Where(a => a.Topic is not null))
            {
                var at = applied.Event.Event.OccurredAt;
                var partition = (applied.Topic!, applied.Partition);
                if (!lastEventAt.TryGetValue(partition, out var latest) || at > latest)
                    lastEventAt[partition] = at;
            }
        }

        if (toApply.Count > 0)
            await projection.Apply(new ProjectionBatch(db, ProjectionSlot.Of(version), toApply.Select(a => a.Event.Event).ToList(), rows),
                cancellationToken);

        DateTime? newest = toApply.Count == 0 ? null : toApply.Max(a => a.Event.Event.OccurredAt);
        return (new BatchResult(BatchStatus.Committed, toApply.Count, duplicates, 0, held, gaps, appliedKeys, newest), lastEventAt);
    }

    HeldEvent Held(int version, string key, SequenceGate<ReadEvent>.HeldEntry entry) => new()
    {
        Projection = projection.Name,
        Version = version,
        Key = key,
        Sequence = entry.Sequence,
        MessageType = entry.Item.Event.MessageType,
        SchemaVersion = entry.Item.Event.SchemaVersion,
        Body = entry.Item.Event.BodyText,
        OccurredAt = entry.Item.Event.Event.OccurredAt,
        HeldSince = entry.HeldSince,
        Source = entry.Item.Event.Source
    };

    void WritePositions(DbContext db, BatchRequest request, Dictionary<(string, int), ProjectionPosition> positions,
        Dictionary<(string, int), DateTime> lastEventAt)
    {
        foreach (var read in request.Partitions)
        {
            if (!positions.TryGetValue((read.Topic, read.Partition), out var row))
            {
                row = new ProjectionPosition { Projection = projection.Name, Version = request.Version, Topic = read.Topic, Partition = read.Partition };
                db.Add(row);
            }
            else
                row.Revision++;
            row.NextOffset = read.NextOffset;
            row.AppliedThrough = Math.Max(row.AppliedThrough, read.NextOffset);
            if (lastEventAt.TryGetValue((read.Topic, read.Partition), out var at) && (row.LastEventAt is null || at > row.LastEventAt))
                row.LastEventAt = at;
        }
    }
}

/// <summary>Which of a projection's versions a batch is meant for: the one queries read, or the one a rebuild builds.</summary>
public enum VersionRole
{
    Active,
    Rebuilding
}

/// <summary>An event and where it was read: a Kafka partition and offset, or (no topic) the event store or a held event.</summary>
public sealed record ReadEvent(IncomingEvent Event, string? Topic, int Partition, long Offset);

/// <summary>
/// How far a batch reads one partition. <paramref name="ExpectedNextOffset"/> is the stored position the
/// reader started from (null: none was stored); if the stored one differs, someone else moved it.
/// </summary>
public sealed record PartitionRead(string Topic, int Partition, long? ExpectedNextOffset, long NextOffset);

/// <param name="Version">The version the batch is applied to.</param>
/// <param name="Role">Whether that version is meant to be the live one or the one being rebuilt.</param>
/// <param name="Events">The events, in the order they were read.</param>
/// <param name="Partitions">How far the batch reads each Kafka partition (none for the event store).</param>
/// <param name="SweepGaps">Also give up overdue gaps of streams that have no event in this batch.</param>
/// <param name="AlsoInTransaction">More to write in the same transaction (a rebuild's progress).</param>
public sealed record BatchRequest(
    int Version,
    VersionRole Role,
    IReadOnlyList<ReadEvent> Events,
    IReadOnlyList<PartitionRead> Partitions,
    bool SweepGaps = false,
    Func<DbContext, CancellationToken, Task>? AlsoInTransaction = null);

public enum BatchStatus
{
    Committed,

    /// <summary>The version is no longer the one meant (a swap, an abandoned rebuild): nothing written.</summary>
    VersionChanged,

    /// <summary>A partition's stored position is not where the reader started (another member, a reset): nothing written.</summary>
    PositionMoved,

    /// <summary>Another member wrote the same rows first: nothing written; apply again.</summary>
    Conflict
}

/// <param name="Status">Whether it was applied, or why not.</param>
/// <param name="Applied">Events applied.</param>
/// <param name="Duplicates">Events whose sequence number was applied or held already.</param>
/// <param name="Replayed">Records read again after a reset moved the position back: applied before, passed over.</param>
/// <param name="Held">Events newly held ahead of a gap.</param>
/// <param name="Gaps">Sequence numbers given up on, per stream.</param>
/// <param name="AppliedKeys">Streams that had events applied, with their last applied sequence number.</param>
/// <param name="NewestEventAt">The time of the latest event applied.</param>
public sealed record BatchResult(
    BatchStatus Status,
    int Applied,
    int Duplicates,
    int Replayed,
    int Held,
    IReadOnlyList<(string Key, GivenUpGap Gap)> Gaps,
    IReadOnlyDictionary<string, int?> AppliedKeys,
    DateTime? NewestEventAt)
{
    public static BatchResult Refused(BatchStatus status) => new(status, 0, 0, 0, 0, [], new Dictionary<string, int?>(), null);
}
