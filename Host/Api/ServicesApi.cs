using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SagaEngine.Consumers.Inventory;
using SagaEngine.Consumers.Payment;

namespace SagaEngine.Host.Api;

public record StockView(string Sku, int Available, int Reserved);

public record LedgerEntryView(Guid Id, Guid OrderId, string Kind, decimal Amount, string Currency, string? Reason, DateTime RecordedAt);

/// <summary>Read-only views of the inventory and payment services' own tables.</summary>
public static class ServicesApi
{
    public static IEndpointRouteBuilder MapServicesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/inventory/{sku}", GetStock).WithTags("Inventory")
            .WithSummary("Stock of one SKU: what can be sold and what orders hold")
            .ProducesProblem(StatusCodes.Status404NotFound);
        app.MapGet("/payments", GetPayments).WithTags("Payments")
            .WithSummary("The payment ledger's entries for one order");
        return app;
    }

    static async Task<Results<Ok<StockView>, ProblemHttpResult>> GetStock(string sku, DbContext db)
    {
        var item = await db.Set<StockItem>().AsNoTracking().FirstOrDefaultAsync(s => s.Sku == sku);
        return item is null
            ? TypedResults.Problem($"No stock is kept for '{sku}'.", statusCode: StatusCodes.Status404NotFound, title: "SKU not found.")
            : TypedResults.Ok(new StockView(item.Sku, item.Available, item.Reserved));
    }

    static async Task<Results<Ok<List<LedgerEntryView>>, ValidationProblem>> GetPayments(string? orderId, DbContext db)
    {
        if (!Guid.TryParse(orderId, out var id))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["orderId"] = ["Required: an order id (a GUID)."] });

        var entries = await db.Set<LedgerEntry>().AsNoTracking().Where(e => e.OrderId == id).ToListAsync();
        return TypedResults.Ok(entries.OrderBy(e => e.RecordedAt)
            .Select(e => new LedgerEntryView(e.Id, e.OrderId, e.Kind.ToString(), e.Amount, e.Currency, e.Reason, e.RecordedAt))
            .ToList());
    }
}
