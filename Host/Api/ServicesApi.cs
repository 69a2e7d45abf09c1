using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.EntityFrameworkCore;
using SagaEngine.Consumers.Inventory;
using SagaEngine.Consumers.Payment;
using SagaEngine.Host.EventStore;
using SagaEngine.Host.Security;

namespace SagaEngine.Host.Api;

public record StockView(string Sku, int Available, int Reserved, long Version);

public record ReceiveStockRequest(int? Quantity);

public record CurrencyBalanceView(string Currency, decimal Charged, decimal Refunded, decimal Balance);

public record AccountView(string CustomerId, long Version, IReadOnlyList<CurrencyBalanceView> Balances);

public record LedgerEntryView(Guid Id, Guid OrderId, string Kind, decimal Amount, string Currency, string? Reason, DateTime RecordedAt);

/// <summary>
/// The inventory and payment services' state: stock per SKU and accounts per customer, now or as they
/// stood at a time (folded from their streams), stock receipts, and the payment ledger.
/// </summary>
public static partial class ServicesApi
{
    public const int MaxReceipt = 1_000_000;

    public static IEndpointRouteBuilder MapServicesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/inventory/{sku}", GetStock).WithTags("Inventory")
            .WithSummary("Stock of one SKU: what can be sold and what orders hold; ?asOf= for what it was then")
            .ProducesProblem(StatusCodes.Status404NotFound);
        app.MapPost("/inventory/{sku}/receipts", ReceiveStock).WithTags("Inventory")
            .WithSummary("Receive stock: adds the quantity to what can be sold (a new SKU starts with it)")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .RequireOperator();
        app.MapGet("/customers/{customerId}/account", GetAccount).WithTags("Payments")
            .WithSummary("A customer's account: charged, refunded and balance per currency; ?asOf= for what it was then")
            .ProducesProblem(StatusCodes.Status404NotFound);
        app.MapGet("/payments", GetPayments).WithTags("Payments")
            .WithSummary("The payment ledger's entries for one order");
        return app;
    }

    static async Task<Results<Ok<StockView>, ValidationProblem, ProblemHttpResult>> GetStock(
        string sku, DbContext db, StreamAggregator streams, CancellationToken cancellationToken, string? asOf = null)
    {
        if (!AsOfParameter.TryParse(asOf, out var time))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [AsOfParameter.Name] = [AsOfParameter.Expected] });

        if (time is null)
            return await db.Set<StockItem>().AsNoTracking().FirstOrDefaultAsync(s => s.Sku == sku, cancellationToken) is { } item
                ? TypedResults.Ok(new StockView(item.Sku, item.Available, item.Reserved, item.Version))
                : NoStock(sku, null);
        if (!SkuPattern().IsMatch(sku))
            return NoStock(sku, time);
        return await streams.AsOf(StockFold.Instance, StockFold.StreamId(sku), time, cancellationToken: cancellationToken) is { } then
            ? TypedResults.Ok(new StockView(sku, then.State.Available, then.State.Reserved, then.Version))
            : NoStock(sku, time);
    }

    static ProblemHttpResult NoStock(string sku, DateTime? asOf) =>
        TypedResults.Problem(asOf is null ? $"No stock is kept for '{sku}'." : $"No stock was kept for '{sku}' at {asOf:O}.",
            statusCode: StatusCodes.Status404NotFound, title: "SKU not found.");

    static async Task<Results<Ok<StockView>, ValidationProblem, ProblemHttpResult>> ReceiveStock(
        string sku, [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] ReceiveStockRequest? request, StockReceipts receipts,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (!SkuPattern().IsMatch(sku))
            errors["sku"] = ["1-64 upper-case letters, digits or '-'."];
        if (request is null)
            errors["body"] = ["Required: {\"quantity\": n}."];
        else if (request.Quantity is not (>= 1 and <= MaxReceipt))
            errors["quantity"] = [$"Required: a whole number from 1 to {MaxReceipt}."];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The receipt is not valid.");

        return await receipts.Receive(sku, request!.Quantity!.Value, StockSources.Receipt, cancellationToken) is { } item
            ? TypedResults.Ok(new StockView(item.Sku, item.Available, item.Reserved, item.Version))
            : TypedResults.Problem($"'{sku}' cannot hold {request.Quantity} more: its count would exceed {int.MaxValue}.",
                statusCode: StatusCodes.Status409Conflict, title: "Too much stock.");
    }

    static async Task<Results<Ok<AccountView>, ValidationProblem, ProblemHttpResult>> GetAccount(
        string customerId, AccountRows rows, DbContext db, StreamAggregator streams, CancellationToken cancellationToken, string? asOf = null)
    {
        var errors = new Dictionary<string, string[]>();
        if (!CustomerIdPattern().IsMatch(customerId))
            errors["customerId"] = ["1-64 letters, digits, '-' or '_'."];
        if (!AsOfParameter.TryParse(asOf, out var time))
            errors[AsOfParameter.Name] = [AsOfParameter.Expected];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);

        if (time is null)
            return await db.Set<PaymentAccount>().AsNoTracking().FirstOrDefaultAsync(a => a.CustomerId == customerId, cancellationToken) is { } account
                ? TypedResults.Ok(View(customerId, account.Version, await rows.Balances(customerId, cancellationToken)))
                : NoAccount(customerId, null);
        return await streams.AsOf(AccountFold.Instance, AccountFold.StreamId(customerId), time, cancellationToken: cancellationToken) is { } then
            ? TypedResults.Ok(View(customerId, then.Version, then.State))
            : NoAccount(customerId, time);
    }

    static AccountView View(string customerId, long version, AccountBalances balances) =>
        new(customerId, version, balances.Currencies.Select(b => new CurrencyBalanceView(b.Currency, b.Charged, b.Refunded, b.Balance)).ToList());

    static ProblemHttpResult NoAccount(string customerId, DateTime? asOf) =>
        TypedResults.Problem(asOf is null ? $"Customer '{customerId}' has no account." : $"Customer '{customerId}' had no account at {asOf:O}.",
            statusCode: StatusCodes.Status404NotFound, title: "Account not found.");

    static async Task<Results<Ok<List<LedgerEntryView>>, ValidationProblem>> GetPayments(string? orderId, DbContext db)
    {
        if (!Guid.TryParse(orderId, out var id))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["orderId"] = ["Required: an order id (a GUID)."] });

        var entries = await db.Set<LedgerEntry>().AsNoTracking().Where(e => e.OrderId == id).ToListAsync();
        return TypedResults.Ok(entries.OrderBy(e => e.RecordedAt)
            .Select(e => new LedgerEntryView(e.Id, e.OrderId, e.Kind.ToString(), e.Amount, e.Currency, e.Reason, e.RecordedAt))
            .ToList());
    }

    [GeneratedRegex(@"^[A-Z0-9-]{1,64}\z")]
    private static partial Regex SkuPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,64}\z")]
    private static partial Regex CustomerIdPattern();
}
