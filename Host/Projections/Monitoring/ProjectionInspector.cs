using Confluent.Kafka;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SagaEngine.Host.Kafka.Clients;
using SagaEngine.Host.Kafka.Configuration;
using SagaEngine.Host.Projections.Rebuild;
using SagaEngine.Host.Projections.Storage;

namespace SagaEngine.Host.Projections.Monitoring;

/// <summary>
/// Each projection as the whole cluster stands: its live version's stored positions (from the database,
/// whichever host wrote them) against the partitions' high watermarks (from the broker), its held events,
/// its rebuild, and whether this host's runner of it is failing.
/// </summary>
public sealed class ProjectionInspector(
    ProjectionRegistry registry, IServiceScopeFactory scopes, KafkaAdmin admin, IOptions<KafkaOptions> kafka, TimeProvider clock)
{
    public async Task<IReadOnlyList<ProjectionView>> All(CancellationToken cancellationToken)
    {
        var counts = await Task.Run(admin.PartitionCounts, cancellationToken);
        var views = new List<ProjectionView>();
        foreach (var projection in registry.Projections)
            views.Add(await View(projection, counts, cancellationToken));
        return views;
    }

    async Task<ProjectionView> View(IProjection projection, IReadOnlyDictionary<string, int> counts, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DbContext>();
        var row = await db.Set<ProjectionVersion>().AsNoTracking().SingleOrDefaultAsync(v => v.Projection == projection.Name, cancellationToken)
                  ?? new ProjectionVersion { Projection = projection.Name, Active = ProjectionVersions.First, LastVersion = ProjectionVersions.First };
        var positions = await db.Set<ProjectionPosition>().AsNoTracking()
            .Where(p => p.Projection == projection.Name && p.Version == row.Active).ToListAsync(cancellationToken);
        var held = await db.Set<HeldEvent>().CountAsync(h => h.Projection == projection.Name && h.Version == row.Active, cancellationToken);

        var topology = kafka.Value.Endpoints[projection.Name];
        var stored = positions.ToDictionary(p => (p.Topic, p.Partition));
        var partitions = topology.Topics.SelectMany(t => Enumerable.Range(0, counts.GetValueOrDefault(t)).Select(p => new TopicPartition(t, p))).ToList();
        var (position, lag) = await Task.Run(() =>
        {
            long position = 0, lag = 0;
            foreach (var partition in partitions)
            {
                var watermarks = admin.QueryWatermarks(partition);
                var next = stored.GetValueOrDefault((partition.Topic, partition.Partition.Value))?.NextOffset ?? watermarks.Low.Value;
                position += next;
                lag += Math.Max(0, watermarks.High.Value - next);
            }
            return (position, lag);
        }, cancellationToken);

        var now = clock.GetUtcNow().UtcDateTime;
        var lastEventAt = positions.Max(p => p.LastEventAt);
        long? lagMs = lag == 0 && held == 0 ? 0 : lastEventAt is { } at ? (long)Math.Max(0, (now - at).TotalMilliseconds) : null;
        var rebuild = row.Rebuilding is { } version
            ? new RebuildView(version, ProjectionSlot.Of(version).Name, row.RebuildPhase ?? "", row.RebuildEvents, row.RebuildHistoryPosition,
                row.RebuildHistoryEnd, row.RebuildBehind, row.RebuildStartedAt, row.RebuildHeartbeatAt,
                Stale: now - row.RebuildHeartbeatAt >= ProjectionRebuilds.StaleAfter)
            : null;
        var last = row.LastRebuildVersion is { } lastVersion
            ? new LastRebuildView(lastVersion, row.LastRebuildOutcome ?? "", row.LastRebuildError, row.LastRebuildFinishedAt, row.LastRebuildEvents,
                row.LastRebuildSeconds)
            : null;
        var runner = registry.Runner(projection.Name)?.Status;
        var error = runner?.Error;
        var state = error is not null ? "failed" : rebuild is { Stale: false } ? "rebuilding" : "live";

        return new ProjectionView(projection.Name, topology.Group, topology.Topics, row.Active, ProjectionSlot.Of(row.Active).Name, state, error,
            position, lag, lagMs, held, lastEventAt, rebuild, last, row.SwappedAt, runner is { Running: true }, runner?.Counters);
    }
}

/// <param name="Name">The projection.</param>
/// <param name="Group">Its consumer group.</param>
/// <param name="Topics">The topics it reads.</param>
/// <param name="Version">The version queries read.</param>
/// <param name="Tables">The set of tables that version lives in: blue or green.</param>
/// <param name="State"><c>live</c>, <c>rebuilding</c> (see <paramref name="Rebuild"/>) or <c>failed</c> (see <paramref name="Error"/>).</param>
/// <param name="Error">Why this host's runner of it cannot apply its events, while it cannot.</param>
/// <param name="Position">The sum of the live version's stored positions over its partitions.</param>
/// <param name="LagRecords">Records on its topics it has not applied yet.</param>
/// <param name="LagMs">Now minus the time of the last event it applied, while it has records to apply or events held; 0 when it has none; null before it applied any.</param>
/// <param name="HeldEvents">Events held ahead of a gap in their order's sequence.</param>
/// <param name="LastEventAt">When the last event it applied happened.</param>
/// <param name="Rebuild">The rebuild under way, if any.</param>
/// <param name="LastRebuild">How the last rebuild ended.</param>
/// <param name="SwappedAt">When the live version became live (null for the first).</param>
/// <param name="RunsHere">True when this host runs a member of its group.</param>
/// <param name="ThisHost">What this host's member did since it started (applied, duplicates, held, gaps given up, …); null when none runs here.</param>
public sealed record ProjectionView(
    string Name, string Group, IReadOnlyList<string> Topics, int Version, string Tables, string State, string? Error,
    long Position, long LagRecords, long? LagMs, int HeldEvents, DateTime? LastEventAt,
    RebuildView? Rebuild, LastRebuildView? LastRebuild, DateTime? SwappedAt, bool RunsHere, RunnerCountersSnapshot? ThisHost);

/// <param name="Version">The version being built.</param>
/// <param name="Tables">Its set of tables.</param>
/// <param name="Phase"><c>history</c> (reading the event store) or <c>catch-up</c> (reading the live topics).</param>
/// <param name="Events">Events read so far.</param>
/// <param name="HistoryPosition">How far into the event store it has read.</param>
/// <param name="HistoryEnd">Where the event store ended when it began.</param>
/// <param name="Behind">During catch-up: records it still has to read to reach the live version.</param>
/// <param name="StartedAt">When it began.</param>
/// <param name="HeartbeatAt">When its host last showed it alive.</param>
/// <param name="Stale">True when the host running it has not been heard of for a while: it died, and the rebuild will not finish.</param>
public sealed record RebuildView(int Version, string Tables, string Phase, long Events, long? HistoryPosition, long? HistoryEnd, long? Behind,
    DateTime? StartedAt, DateTime? HeartbeatAt, bool Stale);

/// <param name="Version">The version it built.</param>
/// <param name="Outcome"><c>completed</c> (swapped in), <c>failed</c> or <c>interrupted</c> (its host stopped); the live version kept serving unless completed.</param>
/// <param name="Error">Why it failed.</param>
/// <param name="FinishedAt">When it ended.</param>
/// <param name="Events">Events it read.</param>
/// <param name="Seconds">How long it took.</param>
public sealed record LastRebuildView(int Version, string Outcome, string? Error, DateTime? FinishedAt, long? Events, double? Seconds);
