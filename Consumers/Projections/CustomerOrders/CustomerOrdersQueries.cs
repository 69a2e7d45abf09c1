using Microsoft.EntityFrameworkCore;
using SagaEngine.Host.Projections.Storage;

namespace SagaEngine.Consumers.Projections.CustomerOrders;

/// <summary>Reads a customer's orders from the live version's table, newest first (created time, then order id, both descending).</summary>
public static class CustomerOrdersQueries
{
    public static async Task<(IReadOnlyList<CustomerOrder> Orders, bool More)> Page(DbContext db, string customerId, string? state, int limit,
        (DateTime CreatedAt, Guid OrderId)? after, CancellationToken cancellationToken)
    {
        var slot = await ProjectionVersions.ActiveSlot(db, CustomerOrdersProjection.ProjectionName, cancellationToken);
        var orders = db.Rows<CustomerOrder>(slot, CustomerOrdersTables.Table).AsNoTracking().Where(o => o.CustomerId == customerId);
        if (state is not null)
            orders = orders.Where(o => o.State == state);
        if (after is { } cursor)
        {
            var (createdAt, orderId) = cursor;
            orders = orders.Where(o => o.CreatedAt < createdAt || (o.CreatedAt == createdAt && o.OrderId.CompareTo(orderId) < 0));
        }
        var page = await orders.OrderByDescending(o => o.CreatedAt).ThenByDescending(o => o.OrderId)
            .Take(limit + 1).ToListAsync(cancellationToken);
        return (page.Take(limit).ToList(), page.Count > limit);
    }
}
