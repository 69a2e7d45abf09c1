using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SagaEngine.Consumers.Payment;

public class LedgerEntryMap : IEntityTypeConfiguration<LedgerEntry>
{
    public void Configure(EntityTypeBuilder<LedgerEntry> b)
    {
        b.ToTable("payment_ledger");
        b.HasKey(x => x.Id);
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Currency).HasMaxLength(3);
        b.Property(x => x.CustomerId).HasMaxLength(64);
        b.Property(x => x.Reason).HasMaxLength(64);
        b.Property(x => x.Amount).HasPrecision(18, 2);
        // The database itself refuses a second charge for one order, whatever races above it.
        b.HasIndex(x => new { x.OrderId, x.Kind }).IsUnique();
    }
}
