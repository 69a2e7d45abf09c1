using MassTransit;
using SagaEngine.Consumers;
using SagaEngine.Host.Persistence.Relay;
using SagaEngine.Host.Persistence.SagaRepository;
using SagaEngine.Sagas;

namespace SagaEngine.Host.Messaging;

public static class MessagingExtensions
{
    public static WebApplicationBuilder AddMessaging(this WebApplicationBuilder builder)
    {
        builder.Services.AddMassTransit(x =>
        {
            x.AddOrderSaga().DbContextRepository();
            x.AddOrderServices();
            x.UsingInMemory((context, cfg) =>
            {
                cfg.CorrelateContractsByOrderId();
                cfg.ConfigureEndpoints(context);
            });
        });

        // The outbox relay hands committed messages to this bus.
        builder.Services.AddSingleton<MessageTypes>();
        builder.Services.AddSingleton<IOutboxTransport, BusOutboxTransport>();
        return builder;
    }
}
