using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace SagaEngine.Consumers;

/// <summary>The retry and delivery policy every service consumer shares.</summary>
static class ServicePolicy
{
    public static void Apply<TConsumer>(IConsumerConfigurator<TConsumer> consumer, IRegistrationContext context)
        where TConsumer : class
    {
        // A concurrency conflict or a duplicate insert means another message changed the same rows
        // first: read again and decide again, at once.
        consumer.UseMessageRetry(r =>
        {
            r.Handle<DbUpdateException>();
            r.Immediate(5);
        });
        // Replies leave only after the service's own change has been saved.
        consumer.UseInMemoryOutbox(context);
    }
}
