using Microsoft.EntityFrameworkCore;
using SagaEngine.Host.Persistence;
using SagaEngine.Host.Projections.Storage;

namespace SagaEngine.Consumers.Projections.Sales;

/// <summary><c>sales_blue</c> and <c>sales_green</c>: one row per SKU, currency and hour.</summary>
public sealed class SalesTables : IModelMapping
{
    public const string Table = "sales";

    public void Configure(ModelBuilder model) =>
        SlottedTables.Map<SalesBucket>(model, Table, b =>
        {
            b.HasKey(x => new { x.Sku, x.Currency, x.Hour });
            b.Property(x => x.Sku).HasMaxLength(64);
            b.Property(x => x.Currency).HasMaxLength(3);
            b.Property(x => x.Revenue).HasPrecision(18, 2);
            b.Property(x => x.Revision).IsConcurrencyToken();
            // The report reads a time range, for every SKU or one.
            b.HasIndex(x => x.Hour);
        });
}
