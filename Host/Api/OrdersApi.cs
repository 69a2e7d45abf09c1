using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using SagaEngine.Contracts;
using SagaEngine.Sagas;

namespace SagaEngine.Host.Api;

public static class OrdersApi
{
    /// <summary>What an order is called between its acceptance and the saga's first step.</summary>
    public const string SubmittedState = "Submitted";
    public const int MaxPageSize = 500;

    public static IEndpointRouteBuilder MapOrdersApi(this IEndpointRouteBuilder app)
    {
        var orders = app.MapGroup("/orders").WithTags("Orders");

        orders.MapPost("/", SubmitOrder)
            .WithSummary("Submit an order")
            .WithDescription("Validates the order, stores it and starts its saga. Poll the Location to follow it.")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        orders.MapGet("/{orderId}", GetOrder)
            .WithSummary("Inspect one order saga: its state, lines and the history of its transitions")
            .ProducesProblem(StatusCodes.Status404NotFound);
        orders.MapGet("/", ListOrders)
            .WithSummary("List orders, newest first, optionally in one state");
        orders.MapGet("/state-machine", GetStateMachine)
            .WithSummary("The order saga's states, events and transitions; ?format=dot for Graphviz")
            .Produces<string>(StatusCodes.Status200OK, "text/vnd.graphviz");

        return app;
    }

    static async Task<Results<Accepted<OrderAccepted>, ValidationProblem>> SubmitOrder(
        [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] SubmitOrderRequest? request,
        IPublishEndpoint publish, DbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (request is null)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["Required: an order as JSON."] });
        var errors = SubmitOrderValidator.Validate(request);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The order is not valid.");

        var orderId = NewId.NextGuid();
        var items = request.Items!.Select(i => new OrderLine(i!.Sku!, i.Quantity!.Value, i.UnitPrice!.Value)).ToList();
        var submitted = new OrderSubmitted(orderId, request.CustomerId!, request.Currency!, items,
            items.Sum(i => i.Quantity * i.UnitPrice), request.PaymentToken!, clock.GetUtcNow().UtcDateTime);

        // The publish goes to the outbox: one SaveChangesAsync commits the intake and the message together.
        db.Add(OrderIntake.From(submitted));
        await publish.Publish(submitted, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);

        return TypedResults.Accepted($"/orders/{orderId}", new OrderAccepted(orderId, SubmittedState));
    }

    static async Task<Results<Ok<OrderView>, ProblemHttpResult, ValidationProblem>> GetOrder(
        string orderId, OrderQueries queries)
    {
        if (!Guid.TryParse(orderId, out var id))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["orderId"] = ["Not an order id (a GUID)."] });

        return await queries.Find(id) is { } order
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
        OrderCursor? cursor = null;
        if (after is not null)
        {
            if (OrderCursor.TryDecode(after, out var decoded))
                cursor = decoded;
            else
                errors["after"] = ["Not a cursor returned by this API as 'next'."];
        }
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
