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
    readonly DelayedScheduleMessageProvider _delayed = new(context);

    public Task<ScheduledMessage<T>> ScheduleSend<T>(Uri destinationAddress, DateTime scheduledTime, T message,
        IPipe<SendContext<T>> pipe, CancellationToken cancellationToken)
        where T : class =>
        _delayed.ScheduleSend(destinationAddress, scheduledTime, message, pipe, cancellationToken);

    public Task CancelScheduledSend(Guid tokenId, CancellationToken cancellationToken) => Cancel(tokenId, cancellationToken);

    public Task CancelScheduledSend(Uri destinationAddress, Guid tokenId, CancellationToken cancellationToken) =>
        Cancel(tokenId, cancellationToken);

    Task Cancel(Guid tokenId, CancellationToken cancellationToken) => writer.CancelScheduled(db, tokenId, cancellationToken);
}
