using System.Globalization;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using SagaEngine.Host.Persistence.Writes;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using SagaEngine.Contracts;
using SagaEngine.Host.EventStore;
using SagaEngine.Sagas;

namespace SagaEngine.Host.Api;

public static class OrdersApi
{
    /// <summary>What an order is called between its acceptance and the saga's first step.</summary>
    public const string SubmittedState = "Submitted";
    public const int MaxPageSize = 500;

    /// <summary>The longest <c>waitForTerminal</c>, in seconds: a request held longer meets proxies' and clients' timeouts.</summary>
    public const double MaxWaitForTerminalSeconds = 30;

    public static IEndpointRouteBuilder MapOrdersApi(this IEndpointRouteBuilder app)
    {
        var orders = app.MapGroup("/orders").WithTags("Orders");

        orders.MapPost("/", SubmitOrder)
            .WithSummary("Submit an order")
            .WithDescription("Validates the order, stores it and starts its saga. Poll the Location to follow it.")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        orders.MapGet("/{orderId}", GetOrder)
            .WithSummary("Inspect one order saga: its state, lines and the history of its transitions")
            .WithDescription("With waitForTerminal=<seconds> (more than 0, at most 30) the answer waits until the order is Confirmed or " +
                             "Cancelled, or until that many seconds have passed, and then shows the order as it is: one request " +
                             "instead of polling. With asOf=<ISO 8601 time> it shows the order as it stood then, folded from its " +
                             "stream (order-{orderId}); 404 before the order existed.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        orders.MapGet("/", ListOrders)
            .WithSummary("List orders, newest first, optionally in one state");
        orders.MapGet("/state-machine", GetStateMachine)
            .WithSummary("The order saga's states, events and transitions; ?format=dot for Graphviz")
            .Produces<string>(StatusCodes.Status200OK, "text/vnd.graphviz");

        return app;
    }

    static async Task<Results<Accepted<OrderAccepted>, ValidationProblem, ProblemHttpResult>> SubmitOrder(
        [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] SubmitOrderRequest? request,
        [FromHeader(Name = IdempotencyKeys.Header)] string? idempotencyKey,
        IPublishEndpoint publish, DbContext db, CommitBatch batch, OrderQueries queries, IOptions<IntakeOptions> intake,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        if (idempotencyKey is not null && IdempotencyKeys.Problem(idempotencyKey) is { } keyProblem)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [IdempotencyKeys.Header] = [keyProblem] });
        if (request is null)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["Required: an order as JSON."] });
        var errors = SubmitOrderValidator.Validate(request);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The order is not valid.");

        var now = clock.GetUtcNow().UtcDateTime;
        var hash = idempotencyKey is null ? null : IdempotencyKeys.Hash(request);
        // One transaction for the intake, its key and the message: the intake and the outbox row are held for its
        // commit and sent with it (CommitBatch), cheaper than EF's save for the one request every order starts with.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (idempotencyKey is not null
            && await Remembered(db, idempotencyKey, now - intake.Value.IdempotencyKeyRetention, cancellationToken) is { } earlier)
            return await Repeat(earlier, hash!, queries);

        var orderId = NewId.NextGuid();
        var items = request.Items!.Select(i => new OrderLine(i!.Sku!, i.Quantity!.Value, i.UnitPrice!.Value)).ToList();
        var submitted = new OrderSubmitted(orderId, request.CustomerId!, request.Currency!, items,
            items.Sum(i => i.Quantity * i.UnitPrice), request.PaymentToken!, now);

        var accepted = OrderIntake.From(submitted);
        accepted.IdempotencyKey = idempotencyKey;
        accepted.RequestHash = hash;
        if (!batch.HoldInsert(db, accepted))
            db.Add(accepted);
        await publish.Publish(submitted, cancellationToken);
        try
        {
            // An expired key freed above is saved before the intake that takes it over is inserted.
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException) when (idempotencyKey is not null)
        {
            // The same key came in twice at once and the other request committed first: answer as it did.
            await transaction.RollbackAsync(CancellationToken.None);
            db.ChangeTracker.Clear();
            var winner = await db.Set<OrderIntake>().AsNoTracking().SingleAsync(i => i.IdempotencyKey == idempotencyKey, cancellationToken);
            return await Repeat(winner, hash!, queries);
        }

        return TypedResults.Accepted($"/orders/{orderId}", new OrderAccepted(orderId, SubmittedState));
    }

    /// <summary>The order a key was first used for, if the key is still retained; an expired key is freed for reuse.</summary>
    static async Task<OrderIntake?> Remembered(DbContext db, string key, DateTime retainedSince, CancellationToken cancellationToken)
    {
        var earlier = await db.Set<OrderIntake>().FirstOrDefaultAsync(i => i.IdempotencyKey == key, cancellationToken);
        if (earlier is null || earlier.SubmittedAt >= retainedSince)
            return earlier;
        earlier.IdempotencyKey = null;
        earlier.RequestHash = null;
        return null;
    }

    static async Task<Results<Accepted<OrderAccepted>, ValidationProblem, ProblemHttpResult>> Repeat(
        OrderIntake earlier, string hash, OrderQueries queries)
    {
        if (earlier.RequestHash != hash)
            return TypedResults.Problem(
                $"The {IdempotencyKeys.Header} was already used for another order ({earlier.OrderId}) with a different body.",
                statusCode: StatusCodes.Status409Conflict, title: "Idempotency key reused with a different request.");
        var state = (await queries.Find(earlier.OrderId))?.State ?? SubmittedState;
        return TypedResults.Accepted($"/orders/{earlier.OrderId}", new OrderAccepted(earlier.OrderId, state));
    }

    static async Task<Results<Ok<OrderView>, ProblemHttpResult, ValidationProblem>> GetOrder(
        string orderId, OrderQueries queries, OrderOutcomeWaiters waiters, StreamAggregator streams, string? waitForTerminal,
        CancellationToken cancellationToken, string? asOf = null)
    {
        var errors = new Dictionary<string, string[]>();
        if (!Guid.TryParse(orderId, out var id))
            errors["orderId"] = ["Not an order id (a GUID)."];
        if (!AsOfParameter.TryParse(asOf, out var time))
            errors[AsOfParameter.Name] = [AsOfParameter.Expected];
        else if (time is not null && waitForTerminal is not null)
            errors["waitForTerminal"] = ["Not with asOf: an order's past does not change."];
        TimeSpan? wait = null;
        if (waitForTerminal is not null)
        {
            if (double.TryParse(waitForTerminal, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
                && seconds > 0 && seconds <= MaxWaitForTerminalSeconds)
                wait = TimeSpan.FromSeconds(seconds);
            else
                errors["waitForTerminal"] = [$"Seconds to wait for the order to end: more than 0, at most {MaxWaitForTerminalSeconds:0}."];
        }
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);

        if (time is not null)
            return await streams.AsOf(OrderFold.Instance, OrderFold.StreamId(id), time, cancellationToken: cancellationToken) is { } then
                ? TypedResults.Ok(OrderView.From(id, then.State))
                : TypedResults.Problem($"Order {id} did not exist at {time:O}.", statusCode: StatusCodes.Status404NotFound,
                    title: "Order not found.");

        OrderView? order;
        if (wait is { } timeout)
        {
            // Watched before the read: an end committed after it still answers the wait. The first look reads the
            // state only; the order is read whole once, when the wait is over.
            using var watch = waiters.Watch(id);
            if (await queries.StateOf(id) is not { } state)
                order = null;
            else
            {
                if (!waiters.HasEnded(state))
                    await watch.Ended(timeout, cancellationToken);
                order = await queries.Find(id);
            }
        }
        else
            order = await queries.Find(id);

        return order is not null
            ? TypedResults.Ok(order)
            : TypedResults.Problem($"No order has the id {id}.", statusCode: StatusCodes.Status404NotFound, title: "Order not found.");
    }

    static async Task<Results<Ok<OrderPage>, ValidationProblem>> ListOrders(
        OrderQueries queries, OrderStateMachine machine, string? state = null, int limit = 50, string? after = null)
    {
        var errors = new Dictionary<string, string[]>();
        var states = machine.States.Select(s => s.Name).ToList();
        if (state is not null && !states.Contains(state))
            errors["state"] = [$"One of: {string.Join(", ", states)}."];
        if (limit is < 1 or > MaxPageSize)
            errors["limit"] = [$"From 1 to {MaxPageSize}."];
        var cursor = OrderCursor.Parse(after, errors);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);

        var (page, more) = await queries.Page(state, limit, cursor);
        var next = more ? new OrderCursor(page[^1].CreatedAt, page[^1].CorrelationId).Encode() : null;
        return TypedResults.Ok(new OrderPage(page.Select(OrderSummary.From).ToList(), next));
    }

    static IResult GetStateMachine(OrderStateMachine machine, string? format = null)
    {
        var description = StateMachineDescription.Of(machine);
        return format == "dot"
            ? TypedResults.Text(description.ToDot("OrderStateMachine"), "text/vnd.graphviz")
            : TypedResults.Ok(description);
    }
}
