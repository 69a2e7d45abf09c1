using SagaEngine.Host.Persistence.Relay;

namespace SagaEngine.Host.Api;

public static class OutboxApi
{
    public static IEndpointRouteBuilder MapOutboxApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/outbox", (OutboxStatusQuery status, CancellationToken cancellationToken) => status.Get(cancellationToken))
            .WithTags("Outbox")
            .WithSummary("Whether the outbox relay keeps up: messages waiting, the oldest one's age, deliveries per second since start");
        return app;
    }
}
