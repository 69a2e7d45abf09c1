using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SagaEngine.Consumers.Payment;

public class PaymentAccountMap : IEntityTypeConfiguration<PaymentAccount>
{
    public void Configure(EntityTypeBuilder<PaymentAccount> b)
    {
        b.ToTable("payment_accounts");
        b.HasKey(x => x.CustomerId);
        b.Property(x => x.CustomerId).HasMaxLength(64);
    }
}

public class PaymentAccountBalanceMap : IEntityTypeConfiguration<PaymentAccountBalance>
{
    public void Configure(EntityTypeBuilder<PaymentAccountBalance> b)
    {
        b.ToTable("payment_account_balances");
        b.HasKey(x => new { x.CustomerId, x.Currency });
        b.Property(x => x.CustomerId).HasMaxLength(64);
        b.Property(x => x.Currency).HasMaxLength(3);
        b.Property(x => x.Charged).HasPrecision(18, 2);
        b.Property(x => x.Refunded).HasPrecision(18, 2);
    }
}
