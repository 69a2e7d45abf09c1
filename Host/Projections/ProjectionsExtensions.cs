using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SagaEngine.Host.Projections.Consistency;
using SagaEngine.Host.Projections.Monitoring;
using SagaEngine.Host.Projections.Rebuild;

namespace SagaEngine.Host.Projections;

public static class ProjectionsExtensions
{
    /// <summary>
    /// Read models fed from Kafka by projection runners (settings under <c>Projections</c>), their rebuilds,
    /// read-your-writes waiters, monitoring and metrics. Add projections with <see cref="ProjectionsBuilder.Add{TProjection}"/>;
    /// call this after AddKafka.
    /// </summary>
    public static ProjectionsBuilder AddProjections(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ProjectionsOptions>().BindConfiguration(ProjectionsOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ProjectionsOptions>, ProjectionsOptionsValidator>());
        services.TryAddSingleton<ProjectionRegistry>();
        services.TryAddSingleton<ProjectionWaiters>();
        services.AddHostedService(sp => sp.GetRequiredService<ProjectionWaiters>());
        services.TryAddSingleton<ProjectionRebuilds>();
        services.AddHostedService(sp => sp.GetRequiredService<ProjectionRebuilds>());
        services.TryAddSingleton<ProjectionInspector>();
        services.TryAddSingleton<ProjectionMetrics>();
        var enabled = builder.Configuration.GetValue<bool?>($"{ProjectionsOptions.Section}:{nameof(ProjectionsOptions.Enabled)}") ?? true;
        return new ProjectionsBuilder(services, enabled);
    }
}

public sealed class ProjectionsBuilder(IServiceCollection services, bool runnersEnabled)
{
    /// <summary>
    /// A projection, read from the topics and in the consumer group configured under
    /// <c>Kafka:Endpoints:&lt;its name&gt;</c>, by a runner in this host unless <c>Projections:Enabled</c> is false.
    /// </summary>
    public ProjectionsBuilder Add<TProjection>() where TProjection : class, IProjection
    {
        services.AddSingleton<TProjection>();
        services.AddSingleton<IProjection>(sp => sp.GetRequiredService<TProjection>());
        if (runnersEnabled)
            // Not AddHostedService: it would keep only one instance of the type, and each projection has its own.
            services.AddSingleton<IHostedService>(sp => ActivatorUtilities.CreateInstance<ProjectionRunner>(sp, sp.GetRequiredService<TProjection>()));
        return this;
    }

    /// <summary>Rebuilds read the complete history from <typeparamref name="THistory"/> (the event store) before the live topics.</summary>
    public ProjectionsBuilder RebuildFrom<THistory>() where THistory : class, IEventHistory
    {
        services.AddSingleton<IEventHistory, THistory>();
        return this;
    }
}
