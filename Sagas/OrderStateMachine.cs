using MassTransit;
using Microsoft.Extensions.Logging;
using SagaEngine.Contracts;

namespace SagaEngine.Sagas;

/// <summary>
/// The order flow: reserve inventory, charge payment, confirm; on a payment failure release the
/// inventory again before cancelling. Confirmed and Cancelled are terminal and kept for inspection.
/// </summary>
public class OrderStateMachine : MassTransitStateMachine<OrderState>
{
    public OrderStateMachine(ILogger<OrderStateMachine> logger, TimeProvider clock, OrderMetrics metrics)
    {
        InstanceState(x => x.CurrentState);

        Event(() => OrderSubmitted, e => e.CorrelateById(c => c.Message.OrderId));
        Event(() => InventoryReserved, e => CorrelateReply(e, c => c.Message.OrderId, logger));
        Event(() => InventoryReservationFailed, e => CorrelateReply(e, c => c.Message.OrderId, logger));
        Event(() => PaymentCharged, e => CorrelateReply(e, c => c.Message.OrderId, logger));
        Event(() => PaymentFailed, e => CorrelateReply(e, c => c.Message.OrderId, logger));
        Event(() => InventoryReleased, e => CorrelateReply(e, c => c.Message.OrderId, logger));

        Initially(
            When(OrderSubmitted)
                .Then(c => c.Saga.Accept(c.Message))
                .Send(ServiceEndpoints.InventoryAddress, c => new ReserveInventory(c.Saga.CorrelationId, c.Message.Items))
                .TransitionTo(AwaitingInventory));

        During(AwaitingInventory,
            When(InventoryReserved)
                .Send(ServiceEndpoints.PaymentAddress,
                    c => new ChargePayment(c.Saga.CorrelationId, c.Saga.Total, c.Saga.Currency, c.Saga.PaymentToken))
                .TransitionTo(AwaitingPayment),
            When(InventoryReservationFailed)
                .Then(c => c.Saga.FailureReason = c.Message.Reason)
                .Publish(c => new OrderCancelled(c.Saga.CorrelationId, c.Message.Reason))
                .TransitionTo(Cancelled));

        During(AwaitingPayment,
            When(PaymentCharged)
                .Publish(c => new OrderConfirmed(c.Saga.CorrelationId, c.Saga.Total, c.Saga.Currency))
                .TransitionTo(Confirmed),
            When(PaymentFailed)
                .Then(c => c.Saga.FailureReason = c.Message.Reason)
                .Send(ServiceEndpoints.InventoryAddress, c => new ReleaseInventory(c.Saga.CorrelationId))
                .TransitionTo(Compensating));

        During(Compensating,
            When(InventoryReleased)
                .Publish(c => new OrderCancelled(c.Saga.CorrelationId, c.Saga.FailureReason!))
                .TransitionTo(Cancelled));

        // Duplicates and late replies land here: the state that was reached stands, nothing is sent.
        OnUnhandledEvent(c =>
        {
            logger.LogWarning("Order {OrderId} ignored {Event} in state {State}",
                c.Saga.CorrelationId, c.Event.Name, c.CurrentState.Name);
            return c.Ignore();
        });

        ConnectStateObserver(new TransitionRecorder(logger, clock, metrics));
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
