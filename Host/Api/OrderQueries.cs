using MassTransit;
using MassTransit.Saga;
using SagaEngine.Sagas;

namespace SagaEngine.Host.Api;

/// <summary>Reads order sagas for the API through MassTransit's query and load repositories.</summary>
public class OrderQueries(IQuerySagaRepository<OrderState> query, ILoadSagaRepository<OrderState> load)
{
    public async Task<OrderState?> Find(Guid orderId) => await load.Load(orderId);

    public async Task<(IReadOnlyList<OrderState> Orders, bool More)> Page(string? state, int limit, OrderCursor? after)
    {
        var ids = await query.Find(new SagaQuery<OrderState>(o => state == null || o.CurrentState == state));
        var orders = new List<OrderState>();
        foreach (var id in ids)
            if (await load.Load(id) is { } order && (after is not { } c || c.Precedes(order.CreatedAt, order.CorrelationId)))
                orders.Add(order);

        var page = orders.OrderByDescending(o => o.CreatedAt).ThenByDescending(o => o.CorrelationId)
            .Take(limit + 1).ToList();
        return (page.Take(limit).ToList(), page.Count > limit);
    }
}
