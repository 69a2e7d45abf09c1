using MassTransit;
using MassTransit.Scheduling;
using Microsoft.EntityFrameworkCore;

namespace SagaEngine.Host.Persistence.Outbox;

/// <summary>
/// Schedules inside the transactional outbox: a scheduled send is a delayed send through the outbox
/// context (an outbox row due later, see <see cref="OutboxWriter"/>); cancelling it removes that row,
/// whether it was written by this transaction or committed by an earlier one, in this transaction.
/// </summary>
public class OutboxScheduleMessageProvider(ConsumeContext context, DbContext db) : IScheduleMessageProvider
{
    readonly DelayedScheduleMessageProvider _delayed = new(context);

    public Task<ScheduledMessage<T>> ScheduleSend<T>(Uri destinationAddress, DateTime scheduledTime, T message,
        IPipe<SendContext<T>> pipe, CancellationToken cancellationToken)
        where T : class =>
        _delayed.ScheduleSend(destinationAddress, scheduledTime, message, pipe, cancellationToken);

    public Task CancelScheduledSend(Guid tokenId, CancellationToken cancellationToken) => Cancel(tokenId, cancellationToken);

    public Task CancelScheduledSend(Uri destinationAddress, Guid tokenId, CancellationToken cancellationToken) =>
        Cancel(tokenId, cancellationToken);

    async Task Cancel(Guid tokenId, CancellationToken cancellationToken)
    {
        lock (db)
            foreach (var added in db.ChangeTracker.Entries<OutboxMessage>()
                         .Where(e => e.State == EntityState.Added && e.Entity.ScheduleToken == tokenId).ToList())
                added.State = EntityState.Detached;

        // A row already delivered is left alone: its receiver ignores it by its stale token.
        await db.Set<OutboxMessage>()
            .Where(m => m.ScheduleToken == tokenId && m.DeliveredAt == null)
            .ExecuteDeleteAsync(cancellationToken);
    }
}
