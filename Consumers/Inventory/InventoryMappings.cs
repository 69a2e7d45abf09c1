using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SagaEngine.Consumers.Inventory;

public class StockItemMap : IEntityTypeConfiguration<StockItem>
{
    public void Configure(EntityTypeBuilder<StockItem> b)
    {
        b.ToTable("inventory_stock");
        b.HasKey(x => x.Sku);
        b.Property(x => x.Sku).HasMaxLength(64);
        b.Property(x => x.Version).IsConcurrencyToken();
    }
}

public class ReservationMap : IEntityTypeConfiguration<Reservation>
{
    public void Configure(EntityTypeBuilder<Reservation> b)
    {
        b.ToTable("inventory_reservations");
        b.HasKey(x => x.OrderId);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.FailureReason).HasMaxLength(64);
        b.OwnsMany(x => x.Lines, l => l.ToJson());
    }
}
