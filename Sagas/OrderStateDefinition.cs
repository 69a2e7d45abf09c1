using MassTransit;

namespace SagaEngine.Sagas;

/// <summary>The saga endpoint's policy: how failed attempts are retried and when messages leave.</summary>
public class OrderStateDefinition : SagaDefinition<OrderState>
{
    public OrderStateDefinition()
    {
        Endpoint(e => e.Name = "order-saga");
    }

    protected override void ConfigureSaga(IReceiveEndpointConfigurator endpointConfigurator,
        ISagaConfigurator<OrderState> sagaConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(r => r.Intervals(10, 50, 100, 250, 500));
        // Sends and publishes of a transition leave only once the transition has been saved.
        endpointConfigurator.UseInMemoryOutbox(context);
    }
}
