using MassTransit.Configuration;
using Microsoft.EntityFrameworkCore;

// In MassTransit's namespace, like the framework's own Use… extensions: an endpoint definition states
// the policy with the `using MassTransit;` it already has, and needs to know neither EF nor the host.
// ReSharper disable once CheckNamespace
namespace MassTransit;

/// <summary>
/// Puts a consumer or saga behind the transactional outbox (see <c>DbContextOutboxContextFactory</c>).
/// Configure message retry before calling these: each attempt then runs in a new scope, with a new
/// DbContext and a new transaction, so a retry starts from a fresh read and keeps nothing of the failed attempt.
/// </summary>
public static class TransactionalOutboxConfigurationExtensions
{
    public static void UseTransactionalOutbox<TConsumer>(this IConsumerConfigurator<TConsumer> consumer,
        IReceiveEndpointConfigurator endpoint, IRegistrationContext context)
        where TConsumer : class =>
        consumer.ConnectConsumerConfigurationObserver(new OutboxConsumePipeSpecificationObserver<DbContext>(endpoint, context));

    public static void UseTransactionalOutbox<TSaga>(this ISagaConfigurator<TSaga> saga,
        IReceiveEndpointConfigurator endpoint, IRegistrationContext context)
        where TSaga : class, ISaga =>
        saga.ConnectSagaConfigurationObserver(new OutboxConsumePipeSpecificationObserver<DbContext>(endpoint, context));
}
