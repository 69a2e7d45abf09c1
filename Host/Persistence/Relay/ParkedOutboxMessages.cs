using Microsoft.EntityFrameworkCore;
using SagaEngine.Host.Persistence.Outbox;

namespace SagaEngine.Host.Persistence.Relay;

/// <summary>Outbox messages the transport refused <c>Outbox:MaxAttempts</c> times: listed for an operator, and queued again one by one.</summary>
public class ParkedOutboxMessages(SagaEngineDbContext db, OutboxSignal relay)
{
    /// <summary>Newest first (by sequence), those before <paramref name="before"/> when given.</summary>
    public async Task<(IReadOnlyList<OutboxMessage> Messages, bool More)> Page(int limit, long? before, CancellationToken cancellationToken)
    {
        var parked = db.Set<OutboxMessage>().AsNoTracking().Where(m => m.ParkedAt != null && m.DeliveredAt == null);
        if (before is { } sequence)
            parked = parked.Where(m => m.Sequence < sequence);
        var page = await parked.OrderByDescending(m => m.Sequence).Take(limit + 1).ToListAsync(cancellationToken);
        return (page.Take(limit).ToList(), page.Count > limit);
    }

    /// <summary>
    /// Queues a parked message again with a fresh set of attempts; its key's later messages follow it once
    /// it is delivered. False when no message with that sequence is parked.
    /// </summary>
    public async Task<bool> Retry(long sequence, CancellationToken cancellationToken)
    {
        var queued = await db.Set<OutboxMessage>().Where(m => m.Sequence == sequence && m.ParkedAt != null && m.DeliveredAt == null)
            .ExecuteUpdateAsync(u => u
                .SetProperty(m => m.ParkedAt, (DateTime?)null)
                .SetProperty(m => m.RetryAt, (DateTime?)null)
                .SetProperty(m => m.Attempts, 0), cancellationToken);
        if (queued == 0)
            return false;
        relay.Notify();
        return true;
    }

    public Task<OutboxMessage?> Find(long sequence, CancellationToken cancellationToken) =>
        db.Set<OutboxMessage>().AsNoTracking().SingleOrDefaultAsync(m => m.Sequence == sequence, cancellationToken);
}
