using Microsoft.EntityFrameworkCore;
using SagaEngine.EventSourcing;

namespace SagaEngine.Consumers.Inventory;

/// <summary>Stock coming in: a receipt (or the configured initial stock) adds to a SKU's count, creating the SKU when it is new.</summary>
public sealed class StockReceipts(DbContext db, StockRows stock, IEventStreams events)
{
    /// <summary>
    /// Adds <paramref name="quantity"/> and appends its <see cref="StockReceived"/>, in one transaction;
    /// the SKU's counts and version after it, or null when the count would exceed what a row holds.
    /// </summary>
    public async Task<StockItem?> Receive(string sku, int quantity, string source, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await stock.Receive(sku, quantity, cancellationToken) is not { } version)
            return null;
        await events.Append(StockFold.StreamId(sku), version - 1, new StockReceived(quantity, source), cancellationToken);
        var item = await db.Set<StockItem>().AsNoTracking().SingleAsync(s => s.Sku == sku, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return item;
    }
}
