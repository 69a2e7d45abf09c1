using Microsoft.EntityFrameworkCore;
using SagaEngine.Host.Persistence.Outbox;

namespace SagaEngine.Host.Persistence.Relay;

/// <summary>
/// When the earliest scheduled outbox row falls due. Nothing commits at that moment to wake the relay,
/// so the relay sleeps no longer than until then, whatever its poll interval.
/// </summary>
public class OutboxNextDue(SagaEngineDbContext db, TimeProvider clock)
{
    /// <summary>The earliest due time still in the future, or null when nothing is scheduled.</summary>
    public async Task<DateTime?> Find(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return await db.Set<OutboxMessage>().AsNoTracking()
            .Where(m => m.DeliveredAt == null && m.DueAt > now)
            .MinAsync(m => m.DueAt, cancellationToken);
    }
}
