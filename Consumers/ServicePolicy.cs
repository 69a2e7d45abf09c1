using MassTransit;
using SagaEngine.Host.Messaging.Retry;
using SagaEngine.Host.Persistence.Outbox;

namespace SagaEngine.Consumers;

/// <summary>The retry and delivery policy every service consumer shares.</summary>
static class ServicePolicy
{
    public static void Apply<TConsumer>(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<TConsumer> consumer,
        IRegistrationContext context, string endpointName)
        where TConsumer : class
    {
        // A conflict (another message changed the same rows first) is read again at once; many orders
        // for one SKU at once keep colliding, so a conflict that recurs falls back to the bounded
        // back-off that transient faults (a provider briefly away) get. Settings: Retry:Endpoints:<name>.
        // Configured before the outbox, so each attempt gets a new scope and DbContext.
        consumer.UseEngineRetry(context, endpointName, typeof(TransientServiceException));
        // The service's changes, its replies and the inbox record commit in one transaction; replies
        // leave only after that commit, and a redelivered command is acknowledged without running again.
        consumer.UseTransactionalOutbox(endpoint, context);
    }
}
