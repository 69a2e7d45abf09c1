using System.Security.Claims;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.EntityFrameworkCore;
using SagaEngine.Contracts;
using SagaEngine.Contracts.Validation;
using SagaEngine.Host.Security;
using SagaEngine.Sagas;

namespace SagaEngine.Host.Api;

/// <summary>
/// What an operator can do about an order whose compensation failed: run the compensation again, or end
/// the order by hand. Each action reaches the saga as a message through the outbox, like a submitted
/// order; the saga, not this API, changes the order, and it too refuses an action in another state.
/// </summary>
public static class OrderActionsApi
{
    public const string RetryCompensationAction = "retry-compensation";
    public const string ResolveAction = "resolve";

    public static IEndpointRouteBuilder MapOrderActionsApi(this IEndpointRouteBuilder app)
    {
        var actions = app.MapGroup("/orders/{orderId}/actions").WithTags("Orders");

        actions.MapPost($"/{RetryCompensationAction}", RetryCompensation)
            .WithSummary("Run the compensation of an order in CompensationFailed again")
            .WithDescription("Sends every compensation not yet confirmed again and waits for it, as the first time. Only in CompensationFailed.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .RequireOperator();
        actions.MapPost($"/{ResolveAction}", Resolve)
            .WithSummary("End an order in CompensationFailed as Cancelled (resolved-by-operator), with a note")
            .WithDescription("For an order whose compensation an operator saw to by hand. Only in CompensationFailed.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .RequireOperator();
        return app;
    }

    static async Task<Results<Accepted<OrderActionAccepted>, ValidationProblem, ProblemHttpResult>> RetryCompensation(
        string orderId, ClaimsPrincipal user, OrderQueries queries, OrderStateMachine machine, IPublishEndpoint publish, DbContext db,
        CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(orderId, out var id))
            return InvalidOrderId();
        if (await Refusal(id, RetryCompensationAction, queries, machine) is { } refused)
            return refused;

        var @operator = user.OperatorName();
        await publish.Publish(new Contracts.RetryCompensation(id, @operator), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Accepted($"/orders/{id}", new OrderActionAccepted(id, RetryCompensationAction, @operator));
    }

    static async Task<Results<Accepted<OrderActionAccepted>, ValidationProblem, ProblemHttpResult>> Resolve(
        string orderId, [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] ResolveOrderRequest? request, ClaimsPrincipal user,
        OrderQueries queries, OrderStateMachine machine, IPublishEndpoint publish, DbContext db, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(orderId, out var id))
            return InvalidOrderId();
        // The rule the saga checks ResolveOrder's note with, so the two cannot drift.
        if (FieldRules.Note.Check(request?.Note) is { } problem)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["note"] = [problem] });
        var note = request!.Note!;
        if (await Refusal(id, ResolveAction, queries, machine) is { } refused)
            return refused;

        var @operator = user.OperatorName();
        await publish.Publish(new ResolveOrder(id, @operator, note), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Accepted($"/orders/{id}", new OrderActionAccepted(id, ResolveAction, @operator));
    }

    /// <summary>A 404 for an unknown order, a 409 for one in another state than CompensationFailed; null when the action may go.</summary>
    static async Task<ProblemHttpResult?> Refusal(Guid id, string action, OrderQueries queries, OrderStateMachine machine)
    {
        var order = await queries.Find(id);
        if (order is null)
            return TypedResults.Problem($"No order has the id {id}.", statusCode: StatusCodes.Status404NotFound, title: "Order not found.");
        if (order.State != machine.CompensationFailed.Name)
            return TypedResults.Problem(
                $"Order {id} is {order.State}; {action} applies only to an order in {machine.CompensationFailed.Name}.",
                statusCode: StatusCodes.Status409Conflict, title: "Not in CompensationFailed.");
        return null;
    }

    static ValidationProblem InvalidOrderId() =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["orderId"] = ["Not an order id (a GUID)."] });
}

/// <summary>The body of <c>POST /orders/{orderId}/actions/resolve</c>.</summary>
/// <param name="Note">What the operator did about the order (1-500 characters); kept in its history.</param>
public record ResolveOrderRequest(string? Note);

/// <summary>The action was handed to the saga; follow the order at <c>Location</c> to see it taken.</summary>
public record OrderActionAccepted(Guid OrderId, string Action, string Operator);
