using Microsoft.EntityFrameworkCore;
using SagaEngine.Host.Persistence;
using SagaEngine.Host.Projections.Storage;

namespace SagaEngine.Consumers.Projections.CustomerOrders;

/// <summary><c>customer_orders_blue</c> and <c>customer_orders_green</c>: one row per order, indexed for a customer's newest first.</summary>
public sealed class CustomerOrdersTables : IModelMapping
{
    public const string Table = "customer_orders";

    public void Configure(ModelBuilder model) =>
        SlottedTables.Map<CustomerOrder>(model, Table, b =>
        {
            b.HasKey(x => x.OrderId);
            b.Property(x => x.CustomerId).HasMaxLength(64);
            b.Property(x => x.State).HasMaxLength(32);
            b.Property(x => x.Total).HasPrecision(18, 2);
            b.Property(x => x.Currency).HasMaxLength(3);
            b.Property(x => x.FailureReason).HasMaxLength(64);
            b.Property(x => x.Revision).IsConcurrencyToken();
            b.HasIndex(x => new { x.CustomerId, x.CreatedAt, x.OrderId });
            b.HasIndex(x => new { x.CustomerId, x.State, x.CreatedAt, x.OrderId });
        });
}
