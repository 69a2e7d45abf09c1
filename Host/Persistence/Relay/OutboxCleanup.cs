using Microsoft.EntityFrameworkCore;
using SagaEngine.Host.Persistence.Inbox;
using SagaEngine.Host.Persistence.Outbox;

namespace SagaEngine.Host.Persistence.Relay;

/// <summary>Removes delivered outbox messages and inbox entries once they are older than their retention.</summary>
public class OutboxCleanup(SagaEngineDbContext db, TimeProvider clock, ILogger<OutboxCleanup> logger)
{
    public async Task Run(OutboxOptions options, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var deliveredBefore = now - options.DeliveredRetention;
        var receivedBefore = now - options.InboxRetention;

        var outbox = await db.Set<OutboxMessage>()
            .Where(m => m.DeliveredAt != null && m.DeliveredAt < deliveredBefore)
            .ExecuteDeleteAsync(cancellationToken);
        var inbox = await db.Set<InboxMessage>()
            .Where(m => m.ReceivedAt < receivedBefore)
            .ExecuteDeleteAsync(cancellationToken);

        if (outbox + inbox > 0)
            logger.LogInformation("Outbox clean-up removed {Delivered} delivered messages and {Inbox} inbox entries", outbox, inbox);
    }
}
