using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SagaEngine.Host.Kafka.DeadLetters;
using SagaEngine.Host.Security;

namespace SagaEngine.Host.Api;

/// <summary>Records the Kafka endpoints dead-lettered: list, inspect, and replay once to their original topic.</summary>
public static class DeadLettersApi
{
    public const int MaxPageSize = 500;

    public static IEndpointRouteBuilder MapDeadLettersApi(this IEndpointRouteBuilder app)
    {
        var deadLetters = app.MapGroup("/dead-letters").WithTags("Dead letters");

        deadLetters.MapGet("/", List)
            .WithSummary("List dead letters, newest first, optionally of one original topic and/or consumer group");
        deadLetters.MapGet("/{id}", Get)
            .WithSummary("One dead letter with its error, headers and body")
            .ProducesProblem(StatusCodes.Status404NotFound);
        deadLetters.MapPost("/{id}/replay", Replay)
            .WithSummary("Produce a dead letter back to its original topic with its own key, headers and body; once")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .RequireOperator();
        return app;
    }

    static async Task<Results<Ok<DeadLetterPage>, ValidationProblem>> List(
        DbContext db, CancellationToken cancellationToken, string? topic = null, string? group = null, int limit = 50, string? after = null)
    {
        var errors = new Dictionary<string, string[]>();
        if (limit is < 1 or > MaxPageSize)
            errors["limit"] = [$"From 1 to {MaxPageSize}."];
        long? cursor = null;
        if (after is not null)
        {
            if (TryParseId(after, out var parsed))
                cursor = parsed;
            else
                errors["after"] = ["Not a cursor returned by this API as 'next'."];
        }
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);

        var query = db.Set<DeadLetter>().AsNoTracking();
        if (topic is not null)
            query = query.Where(d => d.Topic == topic);
        if (group is not null)
            query = query.Where(d => d.Group == group);
        if (cursor is { } before)
            query = query.Where(d => d.Id < before);
        var page = await query.OrderByDescending(d => d.Id).Take(limit + 1).ToListAsync(cancellationToken);

        var more = page.Count > limit;
        var items = page.Take(limit).Select(DeadLetterSummary.From).ToList();
        return TypedResults.Ok(new DeadLetterPage(items, more ? items[^1].Id.ToString(CultureInfo.InvariantCulture) : null));
    }

    static async Task<Results<Ok<DeadLetterView>, ProblemHttpResult, ValidationProblem>> Get(
        string id, DbContext db, CancellationToken cancellationToken)
    {
        if (!TryParseId(id, out var deadLetterId))
            return InvalidId();
        return await db.Set<DeadLetter>().AsNoTracking().SingleOrDefaultAsync(d => d.Id == deadLetterId, cancellationToken) is { } found
            ? TypedResults.Ok(DeadLetterView.From(found))
            : NotFound(deadLetterId);
    }

    static async Task<Results<Ok<DeadLetterReplayed>, ProblemHttpResult, ValidationProblem>> Replay(
        string id, DeadLetterReplay replay, ClaimsPrincipal user, ILogger<DeadLetterReplay> logger, CancellationToken cancellationToken)
    {
        if (!TryParseId(id, out var deadLetterId))
            return InvalidId();

        ReplayOutcome outcome;
        try
        {
            outcome = await replay.Replay(deadLetterId, cancellationToken);
        }
        catch (Exception e) when (e is Confluent.Kafka.KafkaException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogError(e, "Dead letter {Id} could not be replayed", deadLetterId);
            return TypedResults.Problem($"Dead letter {deadLetterId} could not be produced to its topic: {e.Message}. It can be replayed again.",
                statusCode: StatusCodes.Status503ServiceUnavailable, title: "Replay failed.");
        }

        if (outcome is { Result: ReplayResult.Replayed, Delivered: { } replayedTo })
            logger.LogInformation("Dead letter {Id} replayed to {Delivered} by operator {Operator}", deadLetterId, replayedTo.ToString(), user.OperatorName());
        return outcome switch
        {
            { Result: ReplayResult.NotFound } => NotFound(deadLetterId),
            { Result: ReplayResult.AlreadyReplayed, DeadLetter.ReplayedAt: var at } => TypedResults.Problem(
                $"Dead letter {deadLetterId} was already replayed at {at:O}; a dead letter is replayed once.",
                statusCode: StatusCodes.Status409Conflict, title: "Already replayed."),
            { DeadLetter: { } letter, Delivered: { } delivered } => TypedResults.Ok(new DeadLetterReplayed(letter.Id, delivered.Topic,
                delivered.Partition.Value, delivered.Offset.Value, DateTime.SpecifyKind(letter.ReplayedAt!.Value, DateTimeKind.Utc))),
            _ => throw new InvalidOperationException($"Unexpected replay outcome {outcome.Result}.")
        };
    }

    static bool TryParseId(string value, out long id) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0;

    static ValidationProblem InvalidId() =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["id"] = ["Not a dead letter id (a positive whole number)."] });

    static ProblemHttpResult NotFound(long id) =>
        TypedResults.Problem($"No dead letter has the id {id}.", statusCode: StatusCodes.Status404NotFound, title: "Dead letter not found.");
}
