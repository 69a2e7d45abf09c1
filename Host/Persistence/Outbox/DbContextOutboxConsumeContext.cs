using MassTransit;
using MassTransit.Context;
using MassTransit.Scheduling;
using MassTransit.Middleware;
using MassTransit.Middleware.Outbox;
using Microsoft.EntityFrameworkCore;

namespace SagaEngine.Host.Persistence.Outbox;

/// <summary>
/// The consume context a handler sees inside the transactional outbox: whatever it sends or publishes
/// becomes an outbox row of the same DbContext, committed with its other changes. Delivery is the
/// relay's job, so this context never has anything of its own to deliver.
/// </summary>
public class DbContextOutboxConsumeContext<TMessage>(
    ConsumeContext<TMessage> context, OutboxConsumeOptions options, IServiceProvider provider,
    DbContext db, OutboxWriter writer, bool alreadyConsumed)
    : OutboxConsumeContextProxy<TMessage>(context, options, provider)
    where TMessage : class
{
    /// <summary>
    /// Where the endpoint offers a message scheduler (its definition asked for one), scheduling happens
    /// in this transaction: scheduled sends become outbox rows due later and cancelling removes them.
    /// A field initializer runs before the base constructor, which re-binds an existing scheduler to
    /// this context (keeping its factory): so the factory set here is the one this context uses.
    /// </summary>
    readonly bool _schedulesInOutbox = ScheduleInOutbox(context, db, writer);

    public bool SchedulesInOutbox => _schedulesInOutbox;

    static bool ScheduleInOutbox(ConsumeContext context, DbContext db, OutboxWriter writer)
    {
        if (!context.TryGetPayload(out MessageSchedulerContext? _))
            return false;
        context.AddOrUpdatePayload<MessageSchedulerContext>(
            () => new ConsumeMessageSchedulerContext(context, Scheduler),
            _ => new ConsumeMessageSchedulerContext(context, Scheduler));
        return true;

        IMessageScheduler Scheduler(ConsumeContext scheduling) =>
            new MessageScheduler(new OutboxScheduleMessageProvider(scheduling, db, writer), scheduling.GetPayload<IBusTopology>());
    }

    public override bool ContinueProcessing { get; set; }

    /// <summary>
    /// True when the inbox already holds this message for this consumer. MassTransit's outbox pipe then
    /// acknowledges it without running the consumer: the idempotent consumer comes for free.
    /// </summary>
    public override bool IsMessageConsumed => alreadyConsumed;

    public override bool IsOutboxDelivered => alreadyConsumed;

    public override int ReceiveCount => this.GetRetryAttempt() + 1;

    public override long? LastSequenceNumber => null;

    /// <summary>The inbox row was written before the consumer ran and commits with its effects; nothing more to record.</summary>
    public override Task SetConsumed() => Task.CompletedTask;

    public override Task SetDelivered() => Task.CompletedTask;

    public override Task<List<OutboxMessageContext>> LoadOutboxMessages() => Task.FromResult(new List<OutboxMessageContext>());

    public override Task NotifyOutboxMessageDelivered(OutboxMessageContext message) => Task.CompletedTask;

    public override Task RemoveOutboxMessages() => Task.CompletedTask;

    public override Task AddSend<T>(SendContext<T> sendContext)
    {
        writer.Add(db, sendContext);
        return Task.CompletedTask;
    }
}
