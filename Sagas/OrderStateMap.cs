using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SagaEngine.Sagas;

/// <summary>The order saga's table: one row per order, its lines and history as JSON beside the columns the API filters on.</summary>
public class OrderStateMap : IEntityTypeConfiguration<OrderState>
{
    public void Configure(EntityTypeBuilder<OrderState> b)
    {
        b.ToTable("order_sagas");
        b.HasKey(x => x.CorrelationId);
        b.Property(x => x.CurrentState).HasMaxLength(64);
        b.Property(x => x.CustomerId).HasMaxLength(64);
        b.Property(x => x.Currency).HasMaxLength(3);
        b.Property(x => x.Total).HasPrecision(18, 2);
        b.Property(x => x.PaymentToken).HasMaxLength(64);
        b.Property(x => x.FailureReason).HasMaxLength(64);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Ignore(x => x.Raised);
        b.OwnsMany(x => x.Items, i => i.ToJson());
        b.OwnsMany(x => x.History, h => h.ToJson());

        // The API pages newest first, in all states or in one.
        b.HasIndex(x => new { x.CreatedAt, x.CorrelationId });
        b.HasIndex(x => new { x.CurrentState, x.CreatedAt, x.CorrelationId });
    }
}
