using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SagaEngine.Host.Persistence.Outbox;
using SagaEngine.Host.Persistence.Relay;
using SagaEngine.Host.Security;

namespace SagaEngine.Host.Api;

public static class OutboxApi
{
    public const int MaxPageSize = IdPaging.MaxPageSize;

    public static IEndpointRouteBuilder MapOutboxApi(this IEndpointRouteBuilder app)
    {
        var outbox = app.MapGroup("/outbox").WithTags("Outbox");
        outbox.MapGet("/", (OutboxStatusQuery status, CancellationToken cancellationToken) => status.Get(cancellationToken))
            .WithSummary("Whether the outbox relay keeps up: messages waiting, the oldest one's age, deliveries per second since start, parked messages");
        outbox.MapGet("/parked", ListParked)
            .WithSummary("Messages the transport refused Outbox:MaxAttempts times, with the reason, newest first");
        outbox.MapPost("/parked/{id}/retry", Retry)
            .WithSummary("Queue a parked message again, with fresh attempts; its key's later messages follow it")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .RequireOperator();
        return app;
    }

    static async Task<Results<Ok<ParkedOutboxPage>, ValidationProblem>> ListParked(
        ParkedOutboxMessages parked, CancellationToken cancellationToken, int limit = 50, string? after = null)
    {
        var errors = new Dictionary<string, string[]>();
        var cursor = IdPaging.Read(limit, after, errors);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);

        var (messages, more) = await parked.Page(limit, cursor, cancellationToken);
        var items = messages.Select(ParkedOutboxMessageView.From).ToList();
        return TypedResults.Ok(new ParkedOutboxPage(items, more ? items[^1].Id.ToString(CultureInfo.InvariantCulture) : null));
    }

    static async Task<Results<Ok<ParkedOutboxMessageQueued>, ProblemHttpResult, ValidationProblem>> Retry(
        string id, ParkedOutboxMessages parked, ClaimsPrincipal user, TimeProvider clock, ILogger<ParkedOutboxMessages> logger,
        CancellationToken cancellationToken)
    {
        if (!IdPaging.TryParseId(id, out var sequence))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["id"] = ["Not an outbox message id (a positive whole number)."] });
        if (await parked.Retry(sequence, cancellationToken))
        {
            logger.LogInformation("Parked outbox message {Sequence} queued again by operator {Operator}", sequence, user.OperatorName());
            return TypedResults.Ok(new ParkedOutboxMessageQueued(sequence, clock.GetUtcNow().UtcDateTime));
        }
        return await parked.Find(sequence, cancellationToken) is null
            ? TypedResults.Problem($"No outbox message has the id {sequence}.", statusCode: StatusCodes.Status404NotFound,
                title: "Outbox message not found.")
            : TypedResults.Problem($"Outbox message {sequence} is not parked: it is delivered, or waiting to be.",
                statusCode: StatusCodes.Status409Conflict, title: "Not parked.");
    }
}

/// <summary>A parked outbox message: what it is, where it was going, and why the transport refused it.</summary>
/// <param name="Id">Its sequence in the outbox; the id to retry it by.</param>
/// <param name="MessageId">The message's own id.</param>
/// <param name="MessageType">Its message type URNs, most specific first.</param>
/// <param name="Destination">Where it was sent; null for a published message, which is routed by its type.</param>
/// <param name="OrderingKey">Its key: the key's later messages wait behind it.</param>
/// <param name="Attempts">How many times the transport refused it.</param>
/// <param name="LastError">Why, the last time.</param>
/// <param name="CreatedAt">When it was committed.</param>
/// <param name="ParkedAt">When it was parked.</param>
public sealed record ParkedOutboxMessageView(
    long Id, Guid MessageId, string MessageType, string? Destination, string OrderingKey, int Attempts, string? LastError,
    DateTime CreatedAt, DateTime ParkedAt)
{
    public static ParkedOutboxMessageView From(OutboxMessage m) => new(m.Sequence, m.MessageId, m.MessageType, m.Destination,
        m.OrderingKey, m.Attempts, m.LastError, DateTime.SpecifyKind(m.CreatedAt, DateTimeKind.Utc),
        DateTime.SpecifyKind(m.ParkedAt!.Value, DateTimeKind.Utc));
}

/// <param name="Items">Newest first.</param>
/// <param name="Next">Pass as <c>after</c> for the next page; null on the last one.</param>
public sealed record ParkedOutboxPage(IReadOnlyList<ParkedOutboxMessageView> Items, string? Next);

/// <summary>A parked message queued again: the relay takes it at its next round.</summary>
public sealed record ParkedOutboxMessageQueued(long Id, DateTime QueuedAt);
