using MassTransit;
using MassTransit.DependencyInjection;

namespace SagaEngine.Host.Persistence.Outbox;

/// <summary>
/// Decides per scope where <see cref="IPublishEndpoint"/> and <see cref="ISendEndpointProvider"/> lead:
/// inside a consumer to its consume context (which the transactional outbox already captures),
/// anywhere else to the bus outbox on the scope's DbContext.
/// </summary>
public class OutboxScopedBusContextProvider(
    IBus bus, OutboxWriter writer, Bind<IBus, IClientFactory> clientFactory,
    Bind<IBus, IScopedConsumeContextProvider> consumeContextProvider, IServiceProvider provider)
    : IScopedBusContextProvider<IBus>
{
    public ScopedBusContext Context { get; } = consumeContextProvider.Value.HasContext
        ? new ConsumeContextScopedBusContext(consumeContextProvider.Value.GetContext(), clientFactory.Value)
        : new DbContextScopedBusContext(bus, writer, clientFactory.Value, provider);
}
