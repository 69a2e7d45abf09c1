using MassTransit;
using MassTransit.DependencyInjection;
using MassTransit.Middleware;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SagaEngine.Host.Persistence.Relay;

namespace SagaEngine.Host.Persistence.Outbox;

public static class TransactionalOutboxRegistration
{
    /// <summary>
    /// The outbox on the scoped <see cref="DbContext"/>: for consumers and sagas that use it, for the
    /// scoped <see cref="IPublishEndpoint"/> outside consumers (the bus outbox), and the relay that
    /// delivers through the registered <see cref="IOutboxTransport"/>.
    /// </summary>
    public static IServiceCollection AddTransactionalOutbox(this IServiceCollection services)
    {
        services.AddSingleton<Marker>();
        services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<OutboxCommitWatcher>();
        services.AddSingleton<OutboxMetrics>();
        services.AddSingleton<OutboxWriter>();
        services.AddSingleton<SentMessages>();
        services.AddScoped<IOutboxContextFactory<DbContext>, DbContextOutboxContextFactory>();
        // Whichever of this and AddMassTransit runs first, publishing outside a consumer goes to the outbox.
        services.Replace(ServiceDescriptor.Scoped<IScopedBusContextProvider<IBus>, OutboxScopedBusContextProvider>());

        services.AddScoped<OutboxDeliveryRound>();
        services.AddScoped<OutboxNextDue>();
        services.AddScoped<OutboxPendingCount>();
        services.AddScoped<OutboxCleanup>();
        services.AddScoped<OutboxStatusQuery>();
        services.AddScoped<ParkedOutboxMessages>();
        services.AddHostedService<OutboxRelay>();
        services.AddHostedService<PostgresOutboxListener>();
        return services;
    }

    /// <summary>Tells endpoint definitions that the transactional outbox is there to use.</summary>
    public sealed class Marker;
}
