using Microsoft.Extensions.DependencyInjection;
using SagaEngine.Contracts.Schemas;
using SagaEngine.EventSourcing;

namespace SagaEngine.Sagas;

public static class OrderStreamRegistration
{
    /// <summary>The order's stream for the event store: its fold, its event types and the contracts' upcasters.</summary>
    public static IServiceCollection AddOrderStream(this IServiceCollection services)
    {
        services.AddSingleton<IStreamFold>(OrderFold.Instance);
        foreach (var message in MessageCatalog.Messages.Where(m => OrderStreamEvents.Messages.Contains(m.Type)))
            foreach (var step in message.Upcasters.Values)
                services.AddSingleton<IEventUpcaster>(new ContractEventUpcaster(message, step));
        return services;
    }
}
