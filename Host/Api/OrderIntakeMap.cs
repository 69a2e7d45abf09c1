using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SagaEngine.Host.Api;

public class OrderIntakeMap : IEntityTypeConfiguration<OrderIntake>
{
    public void Configure(EntityTypeBuilder<OrderIntake> b)
    {
        b.ToTable("order_intake");
        b.HasKey(x => x.OrderId);
        b.Property(x => x.CustomerId).HasMaxLength(64);
        b.Property(x => x.Currency).HasMaxLength(3);
        b.Property(x => x.Total).HasPrecision(18, 2);
        b.OwnsMany(x => x.Items, i => i.ToJson());
        b.Property(x => x.IdempotencyKey).HasMaxLength(IdempotencyKeys.MaxLength);
        b.Property(x => x.RequestHash).HasMaxLength(64);
        // Two requests racing with one key: the database lets only one of them in.
        b.HasIndex(x => x.IdempotencyKey).IsUnique();
    }
}
