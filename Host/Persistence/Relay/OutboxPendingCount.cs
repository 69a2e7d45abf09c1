using Microsoft.EntityFrameworkCore;
using SagaEngine.Host.Persistence.Outbox;

namespace SagaEngine.Host.Persistence.Relay;

/// <summary>
/// How many committed messages are due and not yet delivered. One COUNT over the pending rows' filtered
/// index, run by the relay every <see cref="OutboxMetrics.PendingCountInterval"/>: its cost does not grow
/// with the message rate or with how often metrics are scraped.
/// </summary>
public class OutboxPendingCount(SagaEngineDbContext db, TimeProvider clock)
{
    public Task<int> Count(CancellationToken cancellationToken) => Pending(db, clock.GetUtcNow().UtcDateTime).CountAsync(cancellationToken);

    /// <summary>
    /// Committed, due and not delivered: what the relay is behind with. A parked message, and its key's later
    /// messages held behind it, wait for an operator, not for the relay.
    /// </summary>
    public static IQueryable<OutboxMessage> Pending(SagaEngineDbContext db, DateTime now)
    {
        var parked = db.Set<OutboxMessage>().Where(p => p.DeliveredAt == null && p.ParkedAt != null);
        return db.Set<OutboxMessage>().AsNoTracking()
            .Where(m => m.DeliveredAt == null && (m.DueAt == null || m.DueAt <= now) && m.ParkedAt == null
                        && !parked.Any(p => p.OrderingKey == m.OrderingKey && p.Sequence < m.Sequence));
    }
}
