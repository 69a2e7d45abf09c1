using Microsoft.EntityFrameworkCore;
using SagaEngine.Host.Persistence.Outbox;

namespace SagaEngine.Host.Persistence.Relay;

/// <param name="Pending">Committed messages due and not yet delivered, by any relay on this database.</param>
/// <param name="OldestPendingAgeSeconds">How long the oldest of them has waited; null when none waits.</param>
/// <param name="Delivered">Delivered by this process's relay since it started.</param>
/// <param name="DeliveredPerSecond">The same, per second since start.</param>
/// <param name="Since">When this process's relay started counting (UTC).</param>
/// <param name="Scheduled">Messages waiting for a later due time (timeouts, delayed replies): not lag.</param>
/// <param name="Parked">Messages the transport refused <c>Outbox:MaxAttempts</c> times, waiting for an operator (<c>GET /outbox/parked</c>);
/// neither they nor their keys' later messages count as pending.</param>
public record OutboxStatus(int Pending, double? OldestPendingAgeSeconds, long Delivered, double DeliveredPerSecond, DateTime Since,
    int Scheduled, int Parked = 0);

/// <summary>Whether the relay keeps up: what waits, for how long, and how fast this process delivers.</summary>
public class OutboxStatusQuery(SagaEngineDbContext db, OutboxMetrics metrics, TimeProvider clock)
{
    public async Task<OutboxStatus> Get(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var undelivered = db.Set<OutboxMessage>().AsNoTracking().Where(m => m.DeliveredAt == null);
        var pending = OutboxPendingCount.Pending(db, now);
        var count = await pending.CountAsync(cancellationToken);
        var oldest = await pending.OrderBy(m => m.Sequence).Select(m => (DateTime?)(m.DueAt ?? m.CreatedAt)).FirstOrDefaultAsync(cancellationToken);
        var scheduled = await undelivered.CountAsync(m => m.DueAt > now, cancellationToken);
        var parked = await undelivered.CountAsync(m => m.ParkedAt != null, cancellationToken);

        var delivered = metrics.Delivered;
        var seconds = Math.Max((now - metrics.StartedAt).TotalSeconds, 1e-3);
        return new OutboxStatus(count, oldest is { } o ? Math.Max((now - o).TotalSeconds, 0) : null,
            delivered, Math.Round(delivered / seconds, 2), metrics.StartedAt, scheduled, parked);
    }
}
