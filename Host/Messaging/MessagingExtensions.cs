using MassTransit;
using SagaEngine.Consumers;
using SagaEngine.Sagas;

namespace SagaEngine.Host.Messaging;

public static class MessagingExtensions
{
    public static WebApplicationBuilder AddMessaging(this WebApplicationBuilder builder)
    {
        builder.Services.AddMassTransit(x =>
        {
            x.AddOrderSaga().InMemoryRepository();
            x.AddOrderServices();
            x.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));
        });
        return builder;
    }
}
