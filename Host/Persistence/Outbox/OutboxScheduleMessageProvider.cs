using MassTransit;
using MassTransit.Scheduling;
using Microsoft.EntityFrameworkCore;

namespace SagaEngine.Host.Persistence.Outbox;

/// <summary>
/// Schedules inside the transactional outbox: a scheduled send is a delayed send through the outbox
/// context (an outbox row due later, see <see cref="OutboxWriter"/>); cancelling it removes that row,
/// whether it was written by this transaction or committed by an earlier one, in this transaction.
/// </summary>
public class OutboxScheduleMessageProvider(ConsumeContext context, DbContext db, OutboxWriter writer) : IScheduleMessageProvider
{
    /// <summary>Both providers accept it; the table's filtered index on the token serves it.</summary>
    const string DeleteScheduled =
        $"DELETE FROM {OutboxMessageMap.Table} WHERE \"{nameof(OutboxMessage.ScheduleToken)}\" = {{0}} AND \"{nameof(OutboxMessage.DeliveredAt)}\" IS NULL";

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
        writer.WithdrawScheduled(db, tokenId);

        // A row already delivered is left alone: its receiver ignores it by its stale token. Plain SQL, as the
        // inbox's insert is: most saga steps cancel a timeout, and a LINQ bulk delete is translated on every call.
        await db.Database.ExecuteSqlRawAsync(DeleteScheduled, [tokenId], cancellationToken);
    }
}
