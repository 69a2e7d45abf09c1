using MassTransit;
using MassTransit.Configuration;
using Microsoft.EntityFrameworkCore;

// A saga's or consumer's definition states its endpoint's policy with this: the one place where the order
// flow and the services depend on the host, named in their usings and allowed by the layering specs.
// It needs to know neither EF nor the outbox's tables.
namespace SagaEngine.Host.Persistence.Outbox;

/// <summary>
/// Puts a consumer or saga behind the transactional outbox (see <c>DbContextOutboxContextFactory</c>).
/// Configure message retry before calling these: each attempt then runs in a new scope, with a new
/// DbContext and a new transaction, so a retry starts from a fresh read and keeps nothing of the failed attempt.
/// </summary>
/// <remarks>
/// Where no database is registered (<see cref="TransactionalOutboxRegistration.AddTransactionalOutbox"/>
/// was not called, as in a test harness that runs the saga on its own) the endpoint gets MassTransit's
/// in-memory outbox instead: messages still leave only after the handler succeeded, without an inbox.
/// </remarks>
public static class TransactionalOutboxConfigurationExtensions
{
    public static void UseTransactionalOutbox<TConsumer>(this IConsumerConfigurator<TConsumer> consumer,
        IReceiveEndpointConfigurator endpoint, IRegistrationContext context)
        where TConsumer : class
    {
        if (HasDatabase(context))
            consumer.ConnectConsumerConfigurationObserver(new OutboxConsumePipeSpecificationObserver<DbContext>(endpoint, context));
        else
            consumer.UseInMemoryOutbox(context);
    }

    public static void UseTransactionalOutbox<TSaga>(this ISagaConfigurator<TSaga> saga,
        IReceiveEndpointConfigurator endpoint, IRegistrationContext context)
        where TSaga : class, ISaga
    {
        if (HasDatabase(context))
            saga.ConnectSagaConfigurationObserver(new OutboxConsumePipeSpecificationObserver<DbContext>(endpoint, context));
        else
            saga.UseInMemoryOutbox(context);
    }

    static bool HasDatabase(IServiceProvider services) => services.GetService(typeof(TransactionalOutboxRegistration.Marker)) is not null;
}
