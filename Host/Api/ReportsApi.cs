using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SagaEngine.Consumers.Projections.OrderStats;
using SagaEngine.Consumers.Projections.Sales;

namespace SagaEngine.Host.Api;

/// <summary>Reports from the sales and order-stats read models (eventually consistent; <c>consistentWith</c> waits for one order).</summary>
public static class ReportsApi
{
    /// <summary>A report covers at most this many buckets (hours, days or minutes).</summary>
    public const int MaxBuckets = 10_000;

    public static IEndpointRouteBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        var reports = app.MapGroup("/reports").WithTags("Read models");
        reports.MapGet("/sales", Sales)
            .WithSummary("Units and revenue of confirmed orders per SKU and hour or day (UTC), from the sales read model")
            .WithDescription("from and to are ISO 8601 times (default: the last 24 hours); a bucket counts when its start is in [from, to). " +
                             "consistentWith=<orderId> waits up to 5 s until that order's latest event is applied.");
        reports.MapGet("/orders", Orders)
            .WithSummary("Per minute (UTC): orders submitted, confirmed and cancelled (by reason), and submit-to-end p50 and p99, from the order-stats read model")
            .WithDescription("from and to are ISO 8601 times (default: the last hour); a minute counts when its start is in [from, to). " +
                             "Percentiles are read from log-scale buckets, within about 2%. consistentWith=<orderId> waits up to 5 s until that order's latest event is applied.");
        return app;
    }

    static async Task<Results<Ok<SalesReport>, ValidationProblem>> Sales(
        DbContext db, ConsistentReads consistency, HttpResponse response, TimeProvider clock, CancellationToken cancellationToken,
        string? from = null, string? to = null, string granularity = "hour", string? sku = null, string? consistentWith = null)
    {
        var errors = new Dictionary<string, string[]>();
        var daily = granularity switch
        {
            "hour" => false,
            "day" => true,
            _ => Fail(errors, "granularity", "hour or day.")
        };
        if (sku is not null && (sku.Length is 0 or > 64 || sku.Any(ch => !(char.IsAsciiLetterUpper(ch) || char.IsAsciiDigit(ch) || ch == '-'))))
            errors["sku"] = ["1-64 upper-case letters, digits or '-'."];
        var (start, end) = Range(from, to, clock, TimeSpan.FromDays(1), errors);
        var bucket = daily ? TimeSpan.FromDays(1) : TimeSpan.FromHours(1);
        start = Floor(start, bucket);
        if (errors.Count == 0 && (end - start) / bucket > MaxBuckets)
            errors["to"] = [$"At most {MaxBuckets} {granularity}s from 'from'."];
        var orderId = ConsistentReads.Parse(consistentWith, errors);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);
        if (await consistency.WaitFor(SalesProjection.ProjectionName, orderId, db, response, cancellationToken) is { } unknown)
            return TypedResults.ValidationProblem(unknown);

        var rows = await SalesQueries.Report(db, start, end, daily, sku, cancellationToken);
        return TypedResults.Ok(new SalesReport(start, end, granularity, sku, rows.Select(SalesRowView.From).ToList()));
    }

    static async Task<Results<Ok<OrderStatsReport>, ValidationProblem>> Orders(
        DbContext db, ConsistentReads consistency, HttpResponse response, TimeProvider clock, CancellationToken cancellationToken,
        string? from = null, string? to = null, string? consistentWith = null)
    {
        var errors = new Dictionary<string, string[]>();
        var (start, end) = Range(from, to, clock, TimeSpan.FromHours(1), errors);
        start = Floor(start, TimeSpan.FromMinutes(1));
        if (errors.Count == 0 && (end - start) / TimeSpan.FromMinutes(1) > MaxBuckets)
            errors["to"] = [$"At most {MaxBuckets} minutes from 'from'."];
        var orderId = ConsistentReads.Parse(consistentWith, errors);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);
        if (await consistency.WaitFor(OrderStatsProjection.ProjectionName, orderId, db, response, cancellationToken) is { } unknown)
            return TypedResults.ValidationProblem(unknown);

        return TypedResults.Ok(new OrderStatsReport(start, end, await OrderStatsQueries.Report(db, start, end, cancellationToken)));
    }

    /// <summary>[from, to) in UTC: both ISO 8601 (a time without an offset is UTC); by default the <paramref name="span"/> up to now.</summary>
    static (DateTime From, DateTime To) Range(string? from, string? to, TimeProvider clock, TimeSpan span, Dictionary<string, string[]> errors)
    {
        var end = to is null ? clock.GetUtcNow().UtcDateTime : Time(to, "to", errors);
        var start = from is not null ? Time(from, "from", errors) : errors.ContainsKey("to") || end.Ticks < span.Ticks ? default : end - span;
        if (!errors.ContainsKey("from") && !errors.ContainsKey("to") && start >= end)
            errors["from"] = ["Must be before 'to'."];
        return (start, end);
    }

    static DateTime Time(string value, string name, Dictionary<string, string[]> errors)
    {
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) && value.Length >= 10
            && char.IsAsciiDigit(value[0]))
            return time.UtcDateTime;
        errors[name] = ["An ISO 8601 time, e.g. 2026-11-30T12:00:00Z."];
        return default;
    }

    static DateTime Floor(DateTime at, TimeSpan bucket) => new(at.Ticks - at.Ticks % bucket.Ticks, DateTimeKind.Utc);

    static bool Fail(Dictionary<string, string[]> errors, string name, string message)
    {
        errors[name] = [message];
        return false;
    }
}
