using MassTransit;
using Microsoft.EntityFrameworkCore;
using SagaEngine.Host.Persistence;
using SagaEngine.Sagas;

namespace SagaEngine.Host.Api;

/// <summary>
/// Answers the waiters of <see cref="OrderOutcomeWaiters"/> when a saga of this process ends an order, once
/// the transition's transaction has committed (before it, their read would not see the new state).
/// MassTransit connects every registered <see cref="IStateObserver{T}"/> of the saga.
/// </summary>
public sealed class OrderEndedSignal(OrderOutcomeWaiters waiters, AfterCommit afterCommit, OrderStateMachine machine)
    : IStateObserver<OrderState>
{
    public Task StateChanged(BehaviorContext<OrderState> context, State currentState, State previousState)
    {
        if (currentState.Name != machine.Confirmed.Name && currentState.Name != machine.Cancelled.Name)
            return Task.CompletedTask;

        var orderId = context.Saga.CorrelationId;
        if (context.TryGetPayload<IServiceProvider>(out var services) && services.GetService<DbContext>() is { } db)
            afterCommit.Run(db, () => waiters.Ended(orderId));
        else
            waiters.Ended(orderId);
        return Task.CompletedTask;
    }
}
