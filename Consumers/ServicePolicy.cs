using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace SagaEngine.Consumers;

/// <summary>The retry and delivery policy every service consumer shares.</summary>
static class ServicePolicy
{
    public static void Apply<TConsumer>(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<TConsumer> consumer,
        IRegistrationContext context)
        where TConsumer : class
    {
        // A concurrency conflict or a duplicate insert means another message changed the same rows
        // first: read again and decide again. Many orders for one SKU at once (PostgreSQL runs them
        // side by side) collide again on immediate retries, so back off, with jitter, and keep trying.
        // A transient fault of a dependency (a provider briefly away) gets the same bounded back-off.
        // Configured before the outbox, so each attempt gets a new scope and DbContext.
        consumer.UseMessageRetry(r =>
        {
            r.Handle<DbUpdateException>();
            r.Handle<TransientServiceException>();
            r.Exponential(20, TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(10));
        });
        // The service's changes, its replies and the inbox record commit in one transaction; replies
        // leave only after that commit, and a redelivered command is acknowledged without running again.
        consumer.UseTransactionalOutbox(endpoint, context);
    }
}
