using MassTransit;
using MassTransit.Middleware;
using SagaEngine.Host.Messaging.Retry;
using SagaEngine.Host.Persistence.Outbox;

namespace SagaEngine.Sagas;

/// <summary>The saga endpoint's policy: how failed attempts are retried and when messages leave.</summary>
public class OrderStateDefinition : SagaDefinition<OrderState>
{
    public const string SagaEndpointName = "order-saga";

    public OrderStateDefinition()
    {
        Endpoint(e => e.Name = SagaEndpointName);
    }

    protected override void ConfigureSaga(IReceiveEndpointConfigurator endpointConfigurator,
        ISagaConfigurator<OrderState> sagaConfigurator, IRegistrationContext context)
    {
        // Around the outbox, so that each attempt (after a concurrency conflict, say) reads the order afresh.
        endpointConfigurator.UseEngineRetry(context, SagaEndpointName);
        // The saga's timeouts are delayed sends; inside the transactional outbox they become outbox rows
        // due later, committed with the transition that scheduled them, so they survive a restart.
        endpointConfigurator.UseFilter(new DelayedMessageSchedulerFilter());
        // A transition, the messages it sends and the inbox record commit in one transaction; the relay
        // delivers the messages after that commit.
        sagaConfigurator.UseTransactionalOutbox(endpointConfigurator, context);
        // Inside that transaction: each step's events are appended to the order's stream as the step is saved.
        sagaConfigurator.UseFilter(new OrderStreamFilter());
    }
}
