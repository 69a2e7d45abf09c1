using Microsoft.EntityFrameworkCore;
using SagaEngine.Host.Projections;
using SagaEngine.Host.Projections.Storage;

namespace SagaEngine.Consumers.Projections.CustomerOrders;

/// <summary>
/// <c>customer-orders</c>: each customer's orders, newest first, with state, total, currency, number of
/// lines, and created and updated times, for <c>GET /customers/{customerId}/orders</c>.
/// </summary>
public sealed class CustomerOrdersProjection : OrderProjection
{
    public const string ProjectionName = "customer-orders";

    public override string Name => ProjectionName;

    public override IReadOnlyList<string> Tables { get; } = [CustomerOrdersTables.Table];

    public override async Task Apply(ProjectionBatch batch, CancellationToken cancellationToken)
    {
        var rows = batch.Db.Rows<CustomerOrder>(batch.Slot, CustomerOrdersTables.Table);
        var ids = batch.Keys.Select(Guid.Parse).ToList();
        var stored = await rows.Where(o => EF.Parameter(ids).Contains(o.OrderId)).ToDictionaryAsync(o => o.OrderId, cancellationToken);

        var folded = stored.ToDictionary(s => s.Key, s => (CustomerOrder?)s.Value);
        foreach (var e in batch.Events)
        {
            var id = Guid.Parse(e.Key);
            folded[id] = CustomerOrdersFold.Apply(folded.GetValueOrDefault(id), e.Message, e.OccurredAt);
        }

        foreach (var (id, order) in folded)
        {
            if (order is null)
                continue;
            if (!stored.TryGetValue(id, out var row))
                rows.Add(order);
            else if (row != order)
                batch.Db.Entry(row).CurrentValues.SetValues(order with { Revision = row.Revision + 1 });
        }
    }
}
