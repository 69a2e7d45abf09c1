using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using SagaEngine.Contracts;
using SagaEngine.EventSourcing;

namespace SagaEngine.Sagas;

/// <summary>
/// Appends each step of an order to its stream (<c>order-{orderId}</c>) in the transaction that saves the
/// step: the message the order acted on, what it published, the steps of its history that message added,
/// and <see cref="OrderCompensationFailed"/> when it gave up on its compensations. A message the order
/// ignored (a duplicate, a late reply) adds no step and is not recorded.
/// </summary>
/// <remarks>
/// A filter of the saga's pipe, so the flow's transitions need not know the stream: it sees the order
/// before and after the state machine ran, inside the outbox's transaction and before the repository
/// saves the order. The stream's version lives on the order (<see cref="OrderState.StreamVersion"/>), so
/// an append costs no read; two steps of one order racing each other conflict on the order's version
/// and on the stream's alike, and the loser is retried from a fresh read. Where no event store is
/// registered (the saga alone on the test harness) nothing is appended.
/// </remarks>
public sealed class OrderStreamFilter : IFilter<SagaConsumeContext<OrderState>>
{
    public async Task Send(SagaConsumeContext<OrderState> context, IPipe<SagaConsumeContext<OrderState>> next)
    {
        var order = context.Saga;
        var stepsBefore = order.History.Count;
        order.Raised.Clear();

        await next.Send(context);

        if (order.History.Count == stepsBefore
            || !context.TryGetPayload<IServiceProvider>(out var services)
            || services.GetService<IEventStreams>() is not { } streams)
            return;

        var events = new List<NewEvent>();
        if (Consumed(context) is { } message)
            events.Add(new NewEvent(message, context.MessageId));
        events.AddRange(order.Raised.Select(e => new NewEvent(e)));
        foreach (var step in order.History.Skip(stepsBefore))
        {
            events.Add(new NewEvent(new OrderStepped(order.CorrelationId, step.Event, step.From, step.To, step.At, step.Operator, step.Note,
                order.FailureReason)));
            if (step.To == nameof(OrderStateMachine.CompensationFailed) && step.From != step.To)
                events.Add(new NewEvent(new OrderCompensationFailed(order.CorrelationId, order.CompensationRetries, order.ReleasePending,
                    order.RefundPending)));
        }
        order.Raised.Clear();

        var append = new StreamAppend(OrderFold.StreamId(order.CorrelationId), order.StreamVersion, events);
        await streams.Append([append], context.CancellationToken);
        order.StreamVersion = append.NewVersion;
    }

    /// <summary>
    /// The consumed message, when it is one the order's stream records. Matched on the context's own message
    /// type, never by asking for another one: raw JSON would deserialize into any type whose shape fits.
    /// </summary>
    static object? Consumed(ConsumeContext context) => context switch
    {
        ConsumeContext<OrderSubmitted> c => c.Message,
        ConsumeContext<InventoryReserved> c => c.Message,
        ConsumeContext<InventoryReservationFailed> c => c.Message,
        ConsumeContext<InventoryTimedOut> c => c.Message,
        ConsumeContext<PaymentCharged> c => c.Message,
        ConsumeContext<PaymentFailed> c => c.Message,
        ConsumeContext<PaymentTimedOut> c => c.Message,
        ConsumeContext<InventoryReleased> c => c.Message,
        ConsumeContext<PaymentRefunded> c => c.Message,
        ConsumeContext<CompensationTimedOut> c => c.Message,
        ConsumeContext<RetryCompensation> c => c.Message,
        ConsumeContext<ResolveOrder> c => c.Message,
        _ => null
    };

    public void Probe(ProbeContext context) => context.CreateFilterScope("orderStream");
}
