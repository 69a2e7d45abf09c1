using Microsoft.AspNetCore.Http.HttpResults;
using SagaEngine.Host.EventStore.Projections;
using SagaEngine.Host.Security;

namespace SagaEngine.Host.Api;

/// <summary>The inline projections (tables kept in step with their streams): rebuild one from its streams, or check it against them.</summary>
public static class ProjectionsApi
{
    public static IEndpointRouteBuilder MapProjectionsApi(this IEndpointRouteBuilder app)
    {
        var inline = app.MapGroup("/projections/inline").WithTags("Projections");
        inline.MapPost("/{name}/rebuild", Rebuild)
            .WithSummary("Rebuild an inline projection (stock, accounts) from its streams; writers go on meanwhile")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireOperator();
        inline.MapGet("/{name}/check", Check)
            .WithSummary("Fold an inline projection's streams and report every row that differs from the live one")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    static async Task<Results<Ok<RebuildReport>, ProblemHttpResult>> Rebuild(string name, InlineProjectionRunner runner,
        CancellationToken cancellationToken) =>
        runner.Find(name) is { } projection
            ? TypedResults.Ok(await runner.Rebuild(projection, cancellationToken))
            : Unknown(name, runner);

    static async Task<Results<Ok<CheckReport>, ProblemHttpResult>> Check(string name, InlineProjectionRunner runner,
        CancellationToken cancellationToken) =>
        runner.Find(name) is { } projection
            ? TypedResults.Ok(await runner.Check(projection, cancellationToken))
            : Unknown(name, runner);

    static ProblemHttpResult Unknown(string name, InlineProjectionRunner runner) =>
        TypedResults.Problem($"No inline projection is called '{name}'; there are: {string.Join(", ", runner.Names)}.",
            statusCode: StatusCodes.Status404NotFound, title: "Projection not found.");
}
