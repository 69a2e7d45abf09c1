using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SagaEngine.Contracts;

namespace SagaEngine.Sagas;

/// <summary>
/// The order flow: reserve inventory, charge payment, confirm; on a payment failure release the
/// inventory again before cancelling. Each wait on a service has a timeout; a step that never answers
/// cancels the order after compensating. Confirmed and Cancelled are terminal and kept for inspection;
/// a charge that arrives after the order gave up on payment is refunded.
/// </summary>
public class OrderStateMachine : MassTransitStateMachine<OrderState>
{
    public OrderStateMachine(ILogger<OrderStateMachine> logger, TimeProvider clock, OrderMetrics metrics,
        IOptions<OrderSagaOptions> options)
    {
        var recorder = new TransitionRecorder(logger, clock, metrics);
        var timeouts = options.Value;

        InstanceState(x => x.CurrentState);

        Event(() => OrderSubmitted, e => e.CorrelateById(c => c.Message.OrderId));
        Event(() => InventoryReserved, e => CorrelateReply(e, c => c.Message.OrderId, logger));
        Event(() => InventoryReservationFailed, e => CorrelateReply(e, c => c.Message.OrderId, logger));
        Event(() => PaymentCharged, e => CorrelateReply(e, c => c.Message.OrderId, logger));
        Event(() => PaymentFailed, e => CorrelateReply(e, c => c.Message.OrderId, logger));
        Event(() => InventoryReleased, e => CorrelateReply(e, c => c.Message.OrderId, logger));

        // The token on the order names the one timeout that counts: a reply clears it, so a timeout
        // delivered after the reply finds no token (or another one) and does nothing.
        Schedule(() => InventoryTimeout, x => x.InventoryTimeoutToken, s =>
        {
            s.Delay = timeouts.InventoryTimeout;
            s.Received = e => CorrelateReply(e, c => c.Message.OrderId, logger);
        });
        Schedule(() => PaymentTimeout, x => x.PaymentTimeoutToken, s =>
        {
            s.Delay = timeouts.PaymentTimeout;
            s.Received = e => CorrelateReply(e, c => c.Message.OrderId, logger);
        });

        Initially(
            When(OrderSubmitted)
                .Then(c => c.Saga.Accept(c.Message))
                .Send(ServiceEndpoints.InventoryAddress, c => new ReserveInventory(c.Saga.CorrelationId, c.Message.Items))
                .Schedule(InventoryTimeout, c => new InventoryTimedOut(c.Saga.CorrelationId))
                .TransitionTo(AwaitingInventory));

        During(AwaitingInventory,
            When(InventoryReserved)
                .Unschedule(InventoryTimeout)
                .Send(ServiceEndpoints.PaymentAddress,
                    c => new ChargePayment(c.Saga.CorrelationId, c.Saga.Total, c.Saga.Currency, c.Saga.PaymentToken, c.Saga.CustomerId))
                .Schedule(PaymentTimeout, c => new PaymentTimedOut(c.Saga.CorrelationId))
                .TransitionTo(AwaitingPayment),
            When(InventoryReservationFailed)
                .Unschedule(InventoryTimeout)
                .Then(c => c.Saga.FailureReason = c.Message.Reason)
                .Publish(c => new OrderCancelled(c.Saga.CorrelationId, c.Message.Reason))
                .TransitionTo(Cancelled),
            // The reservation may still happen (or have happened unanswered): release whatever it holds.
            // Not waiting for InventoryReleased, since the service that is not answering would answer that.
            When(InventoryTimeout.Received)
                .Then(c => c.Saga.FailureReason = FailureReasons.InventoryTimeout)
                .Send(ServiceEndpoints.InventoryAddress, c => new ReleaseInventory(c.Saga.CorrelationId))
                .Publish(c => new OrderCancelled(c.Saga.CorrelationId, FailureReasons.InventoryTimeout))
                .TransitionTo(Cancelled));

        During(AwaitingPayment,
            When(PaymentCharged)
                .Unschedule(PaymentTimeout)
                .Publish(c => new OrderConfirmed(c.Saga.CorrelationId, c.Saga.Total, c.Saga.Currency))
                .TransitionTo(Confirmed),
            When(PaymentFailed)
                .Unschedule(PaymentTimeout)
                .Then(c => c.Saga.FailureReason = c.Message.Reason)
                .Send(ServiceEndpoints.InventoryAddress, c => new ReleaseInventory(c.Saga.CorrelationId))
                .TransitionTo(Compensating),
            When(PaymentTimeout.Received)
                .Then(c => c.Saga.FailureReason = FailureReasons.PaymentTimeout)
                .Send(ServiceEndpoints.InventoryAddress, c => new ReleaseInventory(c.Saga.CorrelationId))
                .TransitionTo(Compensating));

        During(Compensating,
            When(InventoryReleased)
                .Publish(c => new OrderCancelled(c.Saga.CorrelationId, c.Saga.FailureReason!))
                .TransitionTo(Cancelled));

        // Money moved for an order that no longer wants it (the charge came after the payment timeout):
        // give it back, once, and let the history say why the ledger shows a refund. Any other late
        // event in these states is ignored below.
        During(Compensating, Cancelled,
            When(PaymentCharged, c => c.Saga.FailureReason == FailureReasons.PaymentTimeout && !c.Saga.RefundRequested)
                .Then(c => c.Saga.RefundRequested = true)
                .Send(ServiceEndpoints.PaymentAddress, c => new RefundPayment(c.Saga.CorrelationId, c.Message.Amount, c.Message.Currency))
                .Then(c => recorder.Unchanged(c, c.Saga.CurrentState)));

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
    public State Confirmed { get; private set; } = null!;
    public State Cancelled { get; private set; } = null!;

    public Event<OrderSubmitted> OrderSubmitted { get; private set; } = null!;
    public Event<InventoryReserved> InventoryReserved { get; private set; } = null!;
    public Event<InventoryReservationFailed> InventoryReservationFailed { get; private set; } = null!;
    public Event<PaymentCharged> PaymentCharged { get; private set; } = null!;
    public Event<PaymentFailed> PaymentFailed { get; private set; } = null!;
    public Event<InventoryReleased> InventoryReleased { get; private set; } = null!;

    public Schedule<OrderState, InventoryTimedOut> InventoryTimeout { get; private set; } = null!;
    public Schedule<OrderState, PaymentTimedOut> PaymentTimeout { get; private set; } = null!;

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
