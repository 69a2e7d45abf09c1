using Microsoft.EntityFrameworkCore;
using SagaEngine.EventSourcing;
using SagaEngine.Host.EventStore.Projections;
using SagaEngine.Host.EventStore.Snapshots;
using SagaEngine.Host.Persistence.Providers;

namespace SagaEngine.Host.EventStore;

public static class EventStoreRegistration
{
    /// <summary>
    /// The event store on the scope's DbContext: <see cref="IEventStreams"/> for writers, the readers,
    /// temporal queries, snapshots (written in the background) and the inline projections' rebuild and
    /// check. What it stores comes from the <see cref="IStreamFold"/>s, <see cref="EventType"/>s,
    /// <see cref="IEventUpcaster"/>s and <see cref="IInlineProjection"/>s the application registers.
    /// </summary>
    public static IServiceCollection AddEventStore(this IServiceCollection services)
    {
        services.AddOptions<EventStoreOptions>().BindConfiguration(EventStoreOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<EventTypeRegistry>();
        services.AddSingleton<SnapshotSignal>();
        services.AddSingleton<SnapshotCommitWatcher>();
        services.AddScoped<AmbientEventMetadata>();
        services.AddScoped<IEventStreams, SqlEventStreams>();
        services.AddScoped<EventStreamReader>();
        services.AddScoped<GlobalFeed>();
        services.AddScoped<IEventFeed>(sp => sp.GetRequiredService<GlobalFeed>());
        services.AddScoped<StreamAggregator>();
        services.AddScoped<SnapshotCatchUp>();
        services.AddScoped<CategoryFold>();
        services.AddScoped<InlineProjectionRunner>();
        services.AddHostedService<SnapshotWriter>();

        // Snapshots are due once the transaction that reached their version commits.
        services.ConfigureDbContext<SqliteSagaEngineDbContext>(WatchCommits);
        services.ConfigureDbContext<PostgresSagaEngineDbContext>(WatchCommits);
        return services;
    }

    static void WatchCommits(IServiceProvider services, DbContextOptionsBuilder options) =>
        options.AddInterceptors(services.GetRequiredService<SnapshotCommitWatcher>());
}
