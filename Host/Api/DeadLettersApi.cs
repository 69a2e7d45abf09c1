using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SagaEngine.Host.Kafka.DeadLetters;
using SagaEngine.Host.Kafka.Parking;
using SagaEngine.Host.Security;

namespace SagaEngine.Host.Api;

/// <summary>
/// Records the Kafka endpoints dead-lettered: list, inspect (with the records of its key parked behind it),
/// and replay or discard each once, which releases the key's parked records in order.
/// </summary>
public static class DeadLettersApi
{
    public const int MaxPageSize = IdPaging.MaxPageSize;

    public static IEndpointRouteBuilder MapDeadLettersApi(this IEndpointRouteBuilder app)
    {
        var deadLetters = app.MapGroup("/dead-letters").WithTags("Dead letters");

        deadLetters.MapGet("/", List)
            .WithSummary("List dead letters, newest first, optionally of one original topic and/or consumer group");
        deadLetters.MapGet("/{id}", Get)
            .WithSummary("One dead letter with its error, headers and body, and the records of its key parked behind it")
            .ProducesProblem(StatusCodes.Status404NotFound);
        deadLetters.MapPost("/{id}/replay", Replay)
            .WithSummary("Put a dead letter back, once: in front of its key's parked records, or else at the end of its original topic")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .RequireOperator();
        deadLetters.MapPost("/{id}/discard", Discard)
            .WithSummary("Give a dead letter up, once, releasing its key's parked records to be processed without it")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .RequireOperator();
        return app;
    }

    static async Task<Results<Ok<DeadLetterPage>, ValidationProblem>> List(
        DbContext db, CancellationToken cancellationToken, string? topic = null, string? group = null, int limit = 50, string? after = null)
    {
        var errors = new Dictionary<string, string[]>();
        var cursor = IdPaging.Read(limit, after, errors);
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
        string id, DbContext db, HeldKeys heldKeys, CancellationToken cancellationToken)
    {
        if (!IdPaging.TryParseId(id, out var deadLetterId))
            return InvalidId();
        if (await db.Set<DeadLetter>().AsNoTracking().SingleOrDefaultAsync(d => d.Id == deadLetterId, cancellationToken) is not { } found)
            return NotFound(deadLetterId);
        return TypedResults.Ok(DeadLetterView.From(found, await heldKeys.Of(found, cancellationToken)));
    }

    static async Task<Results<Ok<DeadLetterReplayed>, ProblemHttpResult, ValidationProblem>> Replay(
        string id, DeadLetterReplay replay, ClaimsPrincipal user, ILogger<DeadLetterReplay> logger, CancellationToken cancellationToken)
    {
        if (!IdPaging.TryParseId(id, out var deadLetterId))
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
            logger.LogInformation("Dead letter {Id} replayed to {Delivered} by operator {Operator}, releasing {Followers} parked records of its key",
                deadLetterId, replayedTo.ToString(), user.OperatorName(), outcome.ReleasedFollowers ?? 0);
        return outcome switch
        {
            { Result: ReplayResult.NotFound } => NotFound(deadLetterId),
            { Result: ReplayResult.AlreadyReplayed or ReplayResult.AlreadyDiscarded, DeadLetter: { } letter } => Settled(letter),
            { DeadLetter: { } letter, Delivered: { } delivered } => TypedResults.Ok(new DeadLetterReplayed(letter.Id, delivered.Topic,
                delivered.Partition.Value, delivered.Offset.Value, DateTime.SpecifyKind(letter.ReplayedAt!.Value, DateTimeKind.Utc),
                outcome.ReleasedFollowers)),
            _ => throw new InvalidOperationException($"Unexpected replay outcome {outcome.Result}.")
        };
    }

    static async Task<Results<Ok<DeadLetterDiscarded>, ProblemHttpResult, ValidationProblem>> Discard(
        string id, DeadLetterReplay replay, ClaimsPrincipal user, ILogger<DeadLetterReplay> logger, CancellationToken cancellationToken)
    {
        if (!IdPaging.TryParseId(id, out var deadLetterId))
            return InvalidId();

        var outcome = await replay.Discard(deadLetterId, cancellationToken);
        if (outcome is { Result: ReplayResult.Discarded })
            logger.LogInformation("Dead letter {Id} discarded by operator {Operator}, releasing {Followers} parked records of its key",
                deadLetterId, user.OperatorName(), outcome.ReleasedFollowers ?? 0);
        return outcome switch
        {
            { Result: ReplayResult.NotFound } => NotFound(deadLetterId),
            { Result: ReplayResult.Discarded, DeadLetter: { } letter } => TypedResults.Ok(new DeadLetterDiscarded(letter.Id,
                DateTime.SpecifyKind(letter.DiscardedAt!.Value, DateTimeKind.Utc), outcome.ReleasedFollowers)),
            { DeadLetter: { } letter } => Settled(letter),
            _ => throw new InvalidOperationException($"Unexpected discard outcome {outcome.Result}.")
        };
    }

    /// <summary>A dead letter already replayed or discarded is settled: each is done once.</summary>
    static ProblemHttpResult Settled(DeadLetter letter) => letter.DiscardedAt is { } discarded
        ? TypedResults.Problem($"Dead letter {letter.Id} was already discarded at {discarded:O}; a dead letter is replayed or discarded once.",
            statusCode: StatusCodes.Status409Conflict, title: "Already discarded.")
        : TypedResults.Problem($"Dead letter {letter.Id} was already replayed at {letter.ReplayedAt:O}; a dead letter is replayed or discarded once.",
            statusCode: StatusCodes.Status409Conflict, title: "Already replayed.");


    static ValidationProblem InvalidId() =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["id"] = ["Not a dead letter id (a positive whole number)."] });

    static ProblemHttpResult NotFound(long id) =>
        TypedResults.Problem($"No dead letter has the id {id}.", statusCode: StatusCodes.Status404NotFound, title: "Dead letter not found.");
}
