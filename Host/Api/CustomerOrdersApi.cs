using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SagaEngine.Consumers.Projections.CustomerOrders;
using SagaEngine.Contracts.Validation;

namespace SagaEngine.Host.Api;

/// <summary>A customer's orders, from the customer-orders read model (eventually consistent; <c>consistentWith</c> waits for one order).</summary>
public static class CustomerOrdersApi
{
    public const int MaxPageSize = 500;

    public static IEndpointRouteBuilder MapCustomerOrdersApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/customers").WithTags("Read models")
            .MapGet("/{customerId}/orders", ListOrders)
            .WithSummary("A customer's orders, newest first, from the customer-orders read model")
            .WithDescription("Eventually consistent. consistentWith=<orderId> waits up to 5 s until that order's latest event is applied; " +
                             "if it is not, the answer carries a Projection-Lag header with the number of its events not reflected yet.");
        return app;
    }

    static async Task<Results<Ok<CustomerOrderPage>, ValidationProblem>> ListOrders(
        string customerId, DbContext db, ConsistentReads consistency, HttpResponse response, CancellationToken cancellationToken,
        string? state = null, int limit = 50, string? after = null, string? consistentWith = null)
    {
        var errors = new Dictionary<string, string[]>();
        if (FieldRules.CustomerId.Check(customerId) is { } wrongCustomer)
            errors["customerId"] = [wrongCustomer];
        if (state is not null && !CustomerOrderStates.All.Contains(state))
            errors["state"] = [$"One of: {string.Join(", ", CustomerOrderStates.All)}."];
        if (limit is < 1 or > MaxPageSize)
            errors["limit"] = [$"From 1 to {MaxPageSize}."];
        var cursor = OrderCursor.Parse(after, errors);
        var orderId = ConsistentReads.Parse(consistentWith, errors);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);
        if (await consistency.WaitFor(CustomerOrdersProjection.ProjectionName, orderId, db, response, cancellationToken) is { } unknown)
            return TypedResults.ValidationProblem(unknown);

        var (page, more) = await CustomerOrdersQueries.Page(db, customerId, state, limit,
            cursor is { } c ? (c.CreatedAt, c.OrderId) : null, cancellationToken);
        var next = more ? new OrderCursor(page[^1].CreatedAt, page[^1].OrderId).Encode() : null;
        return TypedResults.Ok(new CustomerOrderPage(customerId, page.Select(CustomerOrderView.From).ToList(), next));
    }
}
