using SagaEngine.Host.Persistence.Relay;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SagaEngine.Host.Health;

public static class HealthExtensions
{
    /// <summary>Checks tagged with this decide readiness; MassTransit tags its bus checks the same way.</summary>
    public const string ReadyTag = "ready";

    public static WebApplicationBuilder AddHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag])
            .AddCheck<OutboxRelayHealthCheck>("outbox-relay", tags: [ReadyTag]);
        return builder;
    }

    /// <summary>
    /// <c>/health/live</c>: the process answers (a container restarts it when not).
    /// <c>/health/ready</c>: the database answers, the bus runs, the relay keeps up and, on Kafka, a broker
    /// answers (traffic may be sent to it); JSON naming each check. <c>Degraded</c> (on the embedded broker,
    /// which loses records in flight when the process stops) is still ready: 200.
    /// </summary>
    public static WebApplication MapHealth(this WebApplication app)
    {
        // Open whatever Security says: probes send no key.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains(ReadyTag),
            ResponseWriter = HealthReportJson.Write
        }).AllowAnonymous();
        return app;
    }
}
