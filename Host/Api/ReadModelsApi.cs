using Confluent.Kafka;
using Microsoft.AspNetCore.Http.HttpResults;
using SagaEngine.Host.Projections.Monitoring;
using SagaEngine.Host.Projections.Rebuild;
using SagaEngine.Host.Security;

namespace SagaEngine.Host.Api;

/// <summary>The read-model projections: how far behind each is, and rebuilding one without downtime.</summary>
public static class ReadModelsApi
{
    public static IEndpointRouteBuilder MapReadModelsApi(this IEndpointRouteBuilder app)
    {
        var projections = app.MapGroup("/projections").WithTags("Read models");
        projections.MapGet("/", List)
            .WithSummary("Each projection: its consumer group, live version, position, lag in records and milliseconds, state (live, rebuilding, failed) and rebuilds");
        projections.MapPost("/{name}/rebuild", Rebuild)
            .WithSummary("Rebuild a projection into a new version from the complete history, then swap it in; the live version serves until then")
            .WithDescription("Answers at once; follow the rebuild in GET /projections. 409 while a rebuild of it runs.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .RequireOperator();
        return app;
    }

    static async Task<Results<Ok<IReadOnlyList<ProjectionView>>, ProblemHttpResult>> List(ProjectionInspector inspector, CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Ok(await inspector.All(cancellationToken));
        }
        catch (KafkaException e)
        {
            return TypedResults.Problem(title: "Kafka did not answer.", detail: e.Error.Reason, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    static async Task<Results<Accepted<RebuildStarted>, ProblemHttpResult>> Rebuild(string name, ProjectionRebuilds rebuilds,
        CancellationToken cancellationToken)
    {
        var start = await rebuilds.Start(name, cancellationToken);
        return start.Status switch
        {
            RebuildStartStatus.Started => TypedResults.Accepted("/projections",
                new RebuildStarted(name, start.Version!.Value, rebuilds.HasHistory ? "event-store" : "kafka-retention")),
            RebuildStartStatus.UnknownProjection => TypedResults.Problem(start.Detail, statusCode: StatusCodes.Status404NotFound, title: "No such projection."),
            _ => TypedResults.Problem(start.Detail, statusCode: StatusCodes.Status409Conflict, title: "A rebuild of this projection is running.")
        };
    }
}

/// <param name="Projection">The projection.</param>
/// <param name="Version">The version being built; it replaces the live one when it has caught up.</param>
/// <param name="Source"><c>event-store</c> (the complete history, then the live topics) or <c>kafka-retention</c> (no event store: what the topics still keep).</param>
public record RebuildStarted(string Projection, int Version, string Source);
