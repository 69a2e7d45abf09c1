using Microsoft.EntityFrameworkCore;
using SagaEngine.Consumers.Inventory;
using SagaEngine.Host.Persistence.Inbox;
using SagaEngine.Host.Persistence.Outbox;
using SagaEngine.Sagas;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Persistence;

/// <summary>What a spec reads back from the database, through a DbContext of its own (committed data only).</summary>
public static class Database
{
    public static Task<int> Available(this SagaEngineFactory host, string sku) =>
        host.Query(db => db.Set<StockItem>().AsNoTracking().Where(s => s.Sku == sku).Select(s => s.Available).SingleAsync());

    public static Task<List<OutboxMessage>> Outbox(this SagaEngineFactory host, string messageType, string keyOrBodyPart) =>
        host.Query(db => db.Set<OutboxMessage>().AsNoTracking()
            .Where(m => m.MessageType.Contains(":" + messageType) && (m.OrderingKey == keyOrBodyPart || m.Body.Contains(keyOrBodyPart)))
            .OrderBy(m => m.Sequence).ToListAsync());

    public static Task<List<InboxMessage>> Inbox(this SagaEngineFactory host, Guid messageId) =>
        host.Query(db => db.Set<InboxMessage>().AsNoTracking().Where(m => m.MessageId == messageId).ToListAsync());

    public static Task<OrderState?> Saga(this SagaEngineFactory host, Guid orderId) =>
        host.Query(db => db.Set<OrderState>().AsNoTracking().SingleOrDefaultAsync(o => o.CorrelationId == orderId));

    /// <summary>An order saga waiting for the inventory's answer, as if it had just sent ReserveInventory.</summary>
    public static async Task<Guid> SeedAwaitingInventory(this SagaEngineFactory host, Guid? orderId = null)
    {
        var id = orderId ?? Guid.NewGuid();
        await host.Seed(id, "AwaitingInventory", DateTime.UtcNow);
        return id;
    }

    public static Task Seed(this SagaEngineFactory host, Guid orderId, string state, DateTime createdAt) =>
        host.Query(db =>
        {
            db.Add(new OrderState
            {
                CorrelationId = orderId, CurrentState = state, CustomerId = "cust-1", Currency = "EUR",
                Total = 25m, PaymentToken = "tok_ok", CreatedAt = createdAt, UpdatedAt = createdAt,
                Items = [new OrderStateLine { Sku = "SKU-1", Quantity = 2, UnitPrice = 12.5m }]
            });
            return db.SaveChangesAsync();
        });

    public static Task<OrderState?> WaitForState(this SagaEngineFactory host, Guid orderId, string state) =>
        Eventually.Get(() => host.Saga(orderId), o => o?.CurrentState == state, $"order {orderId} in {state}");
}
