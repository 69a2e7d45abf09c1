using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MassTransit;

namespace SagaEngine.Sagas;

public static class OrderSagaRegistration
{
    /// <summary>Registers the order saga with its definition; the caller chooses the repository.</summary>
    public static ISagaRegistrationConfigurator<OrderState> AddOrderSaga(this IBusRegistrationConfigurator bus)
    {
        bus.AddMetrics();
        bus.TryAddSingleton<OrderMetrics>();
        // Defaults unless the host binds and validates the Saga section (it does); the harness uses them as set.
        bus.AddOptions<OrderSagaOptions>();
        return bus.AddSagaStateMachine<OrderStateMachine, OrderState, OrderStateDefinition>();
    }
}
