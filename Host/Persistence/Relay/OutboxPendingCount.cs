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
    public Task<int> Count(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return db.Set<OutboxMessage>().AsNoTracking()
            .CountAsync(m => m.DeliveredAt == null && (m.DueAt == null || m.DueAt <= now), cancellationToken);
    }
}
