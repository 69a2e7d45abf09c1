using Microsoft.EntityFrameworkCore;
using SagaEngine.Host.Projections.Storage;

namespace SagaEngine.Consumers.Projections.Sales;

/// <summary>The sales report: one row per SKU (and currency) per bucket, from the live version's hourly rows.</summary>
public static class SalesQueries
{
    public static async Task<IReadOnlyList<SalesBucket>> Report(DbContext db, DateTime from, DateTime to, bool daily, string? sku,
        CancellationToken cancellationToken)
    {
        var slot = await ProjectionVersions.ActiveSlot(db, SalesProjection.ProjectionName, cancellationToken);
        var rows = db.Rows<SalesBucket>(slot, SalesTables.Table).AsNoTracking().Where(b => b.Hour >= from && b.Hour < to);
        if (sku is not null)
            rows = rows.Where(b => b.Sku == sku);
        var hourly = await rows.ToListAsync(cancellationToken);
        return hourly
            .GroupBy(b => (b.Sku, b.Currency, Bucket: daily ? DateTime.SpecifyKind(b.Hour.Date, DateTimeKind.Utc) : b.Hour))
            .Select(g => new SalesBucket
            {
                Sku = g.Key.Sku, Currency = g.Key.Currency, Hour = g.Key.Bucket, Units = g.Sum(b => b.Units), Revenue = g.Sum(b => b.Revenue)
            })
            .OrderBy(b => b.Hour).ThenBy(b => b.Sku, StringComparer.Ordinal).ThenBy(b => b.Currency, StringComparer.Ordinal)
            .ToList();
    }
}
