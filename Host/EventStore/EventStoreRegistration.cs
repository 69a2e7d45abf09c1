using Microsoft.Extensions.DependencyInjection.Extensions;
using SagaEngine.EventSourcing;
using SagaEngine.Host.EventStore.Projections;
using SagaEngine.Host.EventStore.Snapshots;
using SagaEngine.Host.Persistence;

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
        // Its interceptor is the persistence layer's (AddPersistence); snapshots are due once their appends commit.
        services.TryAddSingleton<AfterCommit>();
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
        return services;
    }
}
