using MassTransit;
using Microsoft.Extensions.Logging;
using SagaEngine.Contracts;

namespace SagaEngine.Sagas;

/// <summary>
/// Appends every state change to the order's history, logs and counts it, so no transition in the state
/// machine can forget to.
/// </summary>
public class TransitionRecorder(ILogger logger, TimeProvider clock, OrderMetrics metrics) : IStateObserver<OrderState>
{
    public Task StateChanged(BehaviorContext<OrderState> context, State currentState, State previousState)
    {
        // A new instance is first moved into Initial; that is creation, not a step of the flow.
        if (previousState is null || currentState.Name == previousState.Name)
            return Task.CompletedTask;

        var now = clock.GetUtcNow().UtcDateTime;
        var order = context.Saga;
        var (@operator, note) = Attribution(context);
        order.History.Add(new OrderTransition
        {
            Event = context.Event.Name,
            From = previousState.Name,
            To = currentState.Name,
            At = now,
            Operator = @operator,
            Note = note
        });
        order.UpdatedAt = now;
        metrics.Transitioned(order, previousState.Name, currentState.Name, context.Event.Name, now);

        if (@operator is null)
            logger.LogInformation("Order {OrderId} moved from {FromState} to {ToState} on {Event}",
                order.CorrelationId, previousState.Name, currentState.Name, context.Event.Name);
        else
            logger.LogInformation("Order {OrderId} moved from {FromState} to {ToState} on {Event} by operator {Operator}",
                order.CorrelationId, previousState.Name, currentState.Name, context.Event.Name, @operator);

        return Task.CompletedTask;
    }

    /// <summary>Who asked for the step, when an operator's action caused it, and what they noted.</summary>
    static (string? Operator, string? Note) Attribution(BehaviorContext<OrderState> context) => context switch
    {
        ConsumeContext<RetryCompensation> retry => (retry.Message.Operator, null),
        ConsumeContext<ResolveOrder> resolve => (resolve.Message.Operator, resolve.Message.Note),
        _ => (null, null)
    };

    /// <summary>
    /// Records an event that was acted on without a state change (a late reply to an order that already
    /// ended), so the history explains what the order did after it ended. No metric: the order did not move.
    /// </summary>
    public void Unchanged(BehaviorContext<OrderState> context, string state)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var order = context.Saga;
        order.History.Add(new OrderTransition { Event = context.Event.Name, From = state, To = state, At = now });
        order.UpdatedAt = now;

        logger.LogInformation("Order {OrderId} stayed {State} and acted on late {Event}",
            order.CorrelationId, state, context.Event.Name);
    }
}
