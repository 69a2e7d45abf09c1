using MassTransit;
using SagaEngine.Contracts;
using SagaEngine.Host.Messaging;

namespace SagaEngine.Tests.Kafka;

/// <summary>
/// A test switch in front of the order saga's pipeline: while on, every OrderSubmitted fails with a
/// transient-looking fault, as if something the saga needs were down. Registered as an
/// <see cref="IConfigureReceiveEndpoint"/>, which MassTransit applies when it builds the pipeline.
/// </summary>
public sealed class SwitchableSagaFault : IConfigureReceiveEndpoint, IFilter<ConsumeContext>
{
    volatile bool _on = true;

    public void TurnOff() => _on = false;

    public void Configure(string name, IReceiveEndpointConfigurator configurator)
    {
        if (name == MessagingExtensions.OrderSagaEndpoint)
            configurator.UseFilter(this);
    }

    public Task Send(ConsumeContext context, IPipe<ConsumeContext> next) =>
        _on && context.HasMessageType(typeof(OrderSubmitted))
            ? throw new TimeoutException("The order saga's dependency timed out (test switch).")
            : next.Send(context);

    public void Probe(ProbeContext context) => context.CreateFilterScope("switchable-saga-fault");
}
