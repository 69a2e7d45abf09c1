using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SagaEngine.Contracts;

namespace SagaEngine.Sagas;

/// <summary>
/// The order flow: reserve inventory, charge payment, confirm. When a step fails or never answers, the
/// order compensates (releases its inventory, gives back a charge that came too late) and waits for each
/// compensation to be confirmed, asking again with back-off; one never confirmed leaves the order
/// <see cref="CompensationFailed"/> until an operator retries or resolves it. Confirmed and Cancelled are
/// kept for inspection.
/// </summary>
public class OrderStateMachine : MassTransitStateMachine<OrderState>
{
    public OrderStateMachine(ILogger<OrderStateMachine> logger, TimeProvider clock, OrderMetrics metrics,
        IOptions<OrderSagaOptions> options)
    {
        var recorder = new TransitionRecorder(logger, clock, metrics);
        var settings = options.Value;

        InstanceState(x => x.CurrentState);

        Event(() => OrderSubmitted, e => e.CorrelateById(c => c.Message.OrderId));
        Event(() => InventoryReserved, e => CorrelateReply(e, c => c.Message.OrderId, logger));
        Event(() => InventoryReservationFailed, e => CorrelateReply(e, c => c.Message.OrderId, logger));
        Event(() => PaymentCharged, e => CorrelateReply(e, c => c.Message.OrderId, logger));
        Event(() => PaymentFailed, e => CorrelateReply(e, c => c.Message.OrderId, logger));
        Event(() => InventoryReleased, e => CorrelateReply(e, c => c.Message.OrderId, logger));
        Event(() => PaymentRefunded, e => CorrelateReply(e, c => c.Message.OrderId, logger));
        Event(() => RetryCompensation, e => CorrelateReply(e, c => c.Message.OrderId, logger));
        Event(() => ResolveOrder, e => CorrelateReply(e, c => c.Message.OrderId, logger));

        // The token on the order names the one timeout that counts: a reply clears it, so a timeout
        // delivered after the reply finds no token (or another one) and does nothing.
        Schedule(() => InventoryTimeout, x => x.InventoryTimeoutToken, s =>
        {
            s.Delay = settings.InventoryTimeout;
            s.Received = e => CorrelateReply(e, c => c.Message.OrderId, logger);
        });
        Schedule(() => PaymentTimeout, x => x.PaymentTimeoutToken, s =>
        {
            s.Delay = settings.PaymentTimeout;
            s.Received = e => CorrelateReply(e, c => c.Message.OrderId, logger);
        });
        // Each wait for a compensation is twice the one before it.
        Schedule(() => CompensationTimeout, x => x.CompensationTimeoutToken, s =>
        {
            s.DelayProvider = c => settings.CompensationWait(c.Saga.CompensationRetries);
            s.Received = e => CorrelateReply(e, c => c.Message.OrderId, logger);
        });

        Initially(
            When(OrderSubmitted)
                .Then(c => c.Saga.Accept(c.Message))
                .Send(ServiceEndpoints.InventoryAddress, c => new ReserveInventory(c.Saga.CorrelationId, c.Message.Items, c.Saga.NextSequence()))
                // In place of the reply, so with its number: whichever the order accepts first takes that place.
                .Schedule(InventoryTimeout, c => new InventoryTimedOut(c.Saga.CorrelationId, c.Saga.LastSequence))
                .TransitionTo(AwaitingInventory));

        During(AwaitingInventory,
            When(InventoryReserved)
                .Unschedule(InventoryTimeout)
                .Send(ServiceEndpoints.PaymentAddress,
                    c => new ChargePayment(c.Saga.CorrelationId, c.Saga.Total, c.Saga.Currency, c.Saga.PaymentToken, c.Saga.NextSequence(), c.Saga.CustomerId))
                .Schedule(PaymentTimeout, c => new PaymentTimedOut(c.Saga.CorrelationId, c.Saga.LastSequence))
                .TransitionTo(AwaitingPayment),
            When(InventoryReservationFailed)
                .Unschedule(InventoryTimeout)
                .Then(c => c.Saga.FailureReason = c.Message.Reason)
                .Publish(c => c.Saga.Cancelled(c.Message.Reason))
                .TransitionTo(Cancelled),
            // The reservation may still happen (or have happened unanswered): release whatever it holds,
            // and wait until the release is confirmed, as for any compensation.
            Compensate(When(InventoryTimeout.Received), FailureReasons.InventoryTimeout));

        During(AwaitingPayment,
            When(PaymentCharged)
                .Unschedule(PaymentTimeout)
                .Publish(c => c.Saga.Confirmed())
                .TransitionTo(Confirmed),
            Compensate(When(PaymentFailed).Unschedule(PaymentTimeout).Then(c => c.Saga.FailureReason = c.Message.Reason), null),
            Compensate(When(PaymentTimeout.Received), FailureReasons.PaymentTimeout));

        // Each confirmation clears what it confirms; the order is Cancelled once nothing is pending. A
        // confirmation that comes after the order stopped waiting (CompensationFailed) still counts.
        During(Compensating, CompensationFailed,
            // Nothing pending at all is an order that started compensating before compensations were tracked.
            When(InventoryReleased, c => c.Saga.ReleasePending || !c.Saga.RefundPending)
                .Then(c => c.Saga.ReleasePending = false)
                .IfElse(c => c.Saga.RefundPending, wait => wait.Then(c => recorder.Unchanged(c, c.Saga.CurrentState)), Cancel),
            When(PaymentRefunded, c => c.Saga.RefundPending)
                .Then(c => c.Saga.RefundPending = false)
                .IfElse(c => c.Saga.ReleasePending, wait => wait.Then(c => recorder.Unchanged(c, c.Saga.CurrentState)), Cancel));

        During(Cancelled,
            When(PaymentRefunded, c => c.Saga.RefundPending)
                .Then(c => c.Saga.RefundPending = false)
                .Unschedule(CompensationTimeout)
                .Then(c => recorder.Unchanged(c, c.Saga.CurrentState)));

        // Not confirmed in time: ask again, waiting longer each time, then give up and wait for an operator.
        // One binding, since every binding of an event runs, each seeing what the one before it changed.
        During(Compensating, Cancelled,
            When(CompensationTimeout.Received, c => c.Saga.ReleasePending || c.Saga.RefundPending)
                .IfElse(c => c.Saga.CompensationRetries < settings.CompensationRetries,
                    again => AskAgain(again.Then(c => c.Saga.CompensationRetries++))
                        .Then(c => recorder.Unchanged(c, c.Saga.CurrentState)),
                    giveUp => giveUp
                        .Then(c => logger.LogWarning(
                            "Order {OrderId}'s compensation was not confirmed after {Retries} retries (release pending: {ReleasePending}, " +
                            "refund pending: {RefundPending}); an operator must retry or resolve it",
                            c.Saga.CorrelationId, c.Saga.CompensationRetries, c.Saga.ReleasePending, c.Saga.RefundPending))
                        .TransitionTo(CompensationFailed)));

        // Money moved for an order that no longer wants it (the charge came after the payment timeout):
        // give it back, once, and wait for the refund to be confirmed like any compensation. The history
        // says why the ledger shows a refund. An order that never asked for a charge has no money to give back.
        During(Compensating, CompensationFailed,
            RefundLateCharge(When(PaymentCharged, c => !c.Saga.RefundRequested && ChargeAsked(c.Saga)))
                .Then(c => recorder.Unchanged(c, c.Saga.CurrentState)));
        During(Cancelled,
            RefundLateCharge(When(PaymentCharged, c => !c.Saga.RefundRequested && ChargeAsked(c.Saga)))
                .Then(c => c.Saga.CompensationRetries = 0)
                .Schedule(CompensationTimeout, c => new CompensationTimedOut(c.Saga.CorrelationId))
                .Then(c => recorder.Unchanged(c, c.Saga.CurrentState)));

        // An operator's actions, accepted only here; in any other state they are ignored below (the API
        // refuses them first, but the state may change between its check and the saga's turn).
        During(CompensationFailed,
            AskAgain(When(RetryCompensation).Then(c => c.Saga.CompensationRetries = 0))
                .TransitionTo(Compensating),
            // The cancellation takes the number of the first reply the order stops waiting for, so that no
            // gap is left before it (should that reply still come, a reader sees it as a duplicate).
            When(ResolveOrder)
                .Then(c => c.Saga.FailureReason = FailureReasons.ResolvedByOperator)
                .If(c => NeverCancelled(c.Saga), b => b.Publish(c => c.Saga.Cancelled(FailureReasons.ResolvedByOperator, c.Saga.FirstUnconfirmedSequence())))
                .Then(c =>
                {
                    c.Saga.ReleasePending = false;
                    c.Saga.RefundPending = false;
                })
                .TransitionTo(Cancelled));

        // Duplicates and late replies land here: the state that was reached stands, nothing is sent.
        OnUnhandledEvent(c =>
        {
            logger.LogWarning("Order {OrderId} ignored {Event} in state {State}",
                c.Saga.CorrelationId, c.Event.Name, c.CurrentState.Name);
            return c.Ignore();
        });

        ConnectStateObserver(recorder);
    }

    public State AwaitingInventory { get; private set; } = null!;
    public State AwaitingPayment { get; private set; } = null!;
    public State Compensating { get; private set; } = null!;
    public State CompensationFailed { get; private set; } = null!;
    public State Confirmed { get; private set; } = null!;
    public State Cancelled { get; private set; } = null!;

    public Event<OrderSubmitted> OrderSubmitted { get; private set; } = null!;
    public Event<InventoryReserved> InventoryReserved { get; private set; } = null!;
    public Event<InventoryReservationFailed> InventoryReservationFailed { get; private set; } = null!;
    public Event<PaymentCharged> PaymentCharged { get; private set; } = null!;
    public Event<PaymentFailed> PaymentFailed { get; private set; } = null!;
    public Event<InventoryReleased> InventoryReleased { get; private set; } = null!;
    public Event<PaymentRefunded> PaymentRefunded { get; private set; } = null!;
    public Event<RetryCompensation> RetryCompensation { get; private set; } = null!;
    public Event<ResolveOrder> ResolveOrder { get; private set; } = null!;

    public Schedule<OrderState, InventoryTimedOut> InventoryTimeout { get; private set; } = null!;
    public Schedule<OrderState, PaymentTimedOut> PaymentTimeout { get; private set; } = null!;
    public Schedule<OrderState, CompensationTimedOut> CompensationTimeout { get; private set; } = null!;

    /// <summary>Undoes the reservation: releases the inventory and waits, from Compensating, for the release to be confirmed.</summary>
    EventActivityBinder<OrderState, T> Compensate<T>(EventActivityBinder<OrderState, T> binder, string? reason) where T : class =>
        binder
            .Then(c =>
            {
                if (reason is not null)
                    c.Saga.FailureReason = reason;
                c.Saga.ReleasePending = true;
                c.Saga.ReleaseSequence = c.Saga.NextSequence();
                c.Saga.CompensationRetries = 0;
            })
            .Send(ServiceEndpoints.InventoryAddress, c => new ReleaseInventory(c.Saga.CorrelationId, c.Saga.ReleaseSequence))
            .Schedule(CompensationTimeout, c => new CompensationTimedOut(c.Saga.CorrelationId))
            .TransitionTo(Compensating);

    /// <summary>
    /// Sends again every compensation not yet confirmed, and waits for it once more. Each asks for the reply
    /// it asked for the first time, with the number reserved for it then: to a reader, a repeated reply is a duplicate.
    /// </summary>
    EventActivityBinder<OrderState, T> AskAgain<T>(EventActivityBinder<OrderState, T> binder) where T : class =>
        binder
            .If(c => c.Saga.ReleasePending, b => b.Send(ServiceEndpoints.InventoryAddress,
                c => new ReleaseInventory(c.Saga.CorrelationId, c.Saga.ReleaseSequence)))
            .If(c => c.Saga.RefundPending, b => b.Send(ServiceEndpoints.PaymentAddress,
                c => new RefundPayment(c.Saga.CorrelationId, c.Saga.Total, c.Saga.Currency, c.Saga.RefundSequence)))
            .Schedule(CompensationTimeout, c => new CompensationTimedOut(c.Saga.CorrelationId));

    EventActivityBinder<OrderState, PaymentCharged> RefundLateCharge(EventActivityBinder<OrderState, PaymentCharged> binder) =>
        binder
            .Then(c =>
            {
                c.Saga.RefundRequested = true;
                c.Saga.RefundPending = true;
                c.Saga.RefundSequence = c.Saga.NextSequence();
            })
            .Send(ServiceEndpoints.PaymentAddress,
                c => new RefundPayment(c.Saga.CorrelationId, c.Message.Amount, c.Message.Currency, c.Saga.RefundSequence));

    /// <summary>Everything is confirmed undone. An order cancelled before (its late charge was being refunded) is not announced again.</summary>
    EventActivityBinder<OrderState, T> Cancel<T>(EventActivityBinder<OrderState, T> binder) where T : class =>
        binder
            .Unschedule(CompensationTimeout)
            .If(c => NeverCancelled(c.Saga), b => b.Publish(c => c.Saga.Cancelled(c.Saga.FailureReason!)))
            .TransitionTo(Cancelled);

    bool NeverCancelled(OrderState order) => order.History.TrueForAll(t => t.To != Cancelled.Name);

    bool ChargeAsked(OrderState order) => order.History.Exists(t => t.To == AwaitingPayment.Name);

    /// <summary>A reply for an order that does not exist cannot be acted on; say so and drop it.</summary>
    static void CorrelateReply<T>(IEventCorrelationConfigurator<OrderState, T> e, Func<ConsumeContext<T>, Guid> orderId,
        ILogger logger)
        where T : class
    {
        e.CorrelateById(orderId);
        e.OnMissingInstance(m => m.Execute(c =>
            logger.LogWarning("Dropped {MessageType} for unknown order {OrderId}", typeof(T).Name, orderId(c))));
    }
}
