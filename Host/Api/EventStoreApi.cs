using Microsoft.AspNetCore.Http.HttpResults;
using SagaEngine.Host.EventStore;

namespace SagaEngine.Host.Api;

/// <summary>Reading the event store: one stream in version order, and the global feed in position order.</summary>
public static class EventStoreApi
{
    public const int MaxPageSize = 1000;

    public static IEndpointRouteBuilder MapEventStoreApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/streams/{streamId}", GetStream).WithTags("Event store")
            .WithSummary("One stream's events in version order, with type, schema version, data, metadata and time")
            .ProducesProblem(StatusCodes.Status404NotFound);
        app.MapGet("/events", GetFeed).WithTags("Event store")
            .WithSummary("The global feed: every event in position order, after a position; a reader following it never skips one");
        return app;
    }

    static async Task<Results<Ok<StreamPage>, ValidationProblem, ProblemHttpResult>> GetStream(
        string streamId, EventStreamReader reader, CancellationToken cancellationToken, long fromVersion = 1, int limit = 100)
    {
        var errors = new Dictionary<string, string[]>();
        if (fromVersion < 1)
            errors["fromVersion"] = ["From 1: stream versions start at 1."];
        if (limit is < 1 or > MaxPageSize)
            errors["limit"] = [$"From 1 to {MaxPageSize}."];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);

        var events = await reader.Read(streamId, fromVersion, limit, cancellationToken);
        if (events.Count == 0 && (fromVersion == 1 || await reader.Version(streamId, cancellationToken) == 0))
            return TypedResults.Problem($"No stream has the id '{streamId}'.", statusCode: StatusCodes.Status404NotFound, title: "Stream not found.");
        return TypedResults.Ok(new StreamPage(streamId, events.Select(EventView.From).ToList(),
            events.Count == limit ? events[^1].Version + 1 : null));
    }

    static async Task<Results<Ok<FeedPage>, ValidationProblem>> GetFeed(GlobalFeed feed, CancellationToken cancellationToken,
        long after = 0, int limit = 100)
    {
        var errors = new Dictionary<string, string[]>();
        if (after < 0)
            errors["after"] = ["0 or more: a position from this feed (0 for the beginning)."];
        if (limit is < 1 or > MaxPageSize)
            errors["limit"] = [$"From 1 to {MaxPageSize}."];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);

        var events = await feed.Read(after, limit, cancellationToken);
        return TypedResults.Ok(new FeedPage(events.Select(EventView.From).ToList(), events.Count > 0 ? events[^1].Position : after));
    }
}
