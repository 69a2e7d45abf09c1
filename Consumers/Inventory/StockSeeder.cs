using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SagaEngine.EventSourcing;

namespace SagaEngine.Consumers.Inventory;

/// <summary>
/// Creates the configured SKUs that the database does not have yet, each with its initial stock as the
/// first receipt of its stream; never resets existing counts. A stock row from before the event store
/// (a row whose stream has no events) is adopted: its counts become the first event of its stream.
/// Several hosts starting at once create and adopt each SKU once.
/// </summary>
public class StockSeeder(IServiceScopeFactory scopes, IOptions<InventoryOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DbContext>();
        var stock = scope.ServiceProvider.GetRequiredService<StockRows>();
        var events = scope.ServiceProvider.GetRequiredService<IEventStreams>();

        var known = await db.Set<StockItem>().AsNoTracking().Select(s => s.Sku).ToListAsync(cancellationToken);
        foreach (var (sku, quantity) in options.Value.InitialStock.Where(s => !known.Contains(s.Key)))
            await InTransaction(db, async () =>
            {
                if (await stock.Create(sku, quantity, cancellationToken) is not null)
                    await events.Append(StockFold.StreamId(sku), 0, new StockReceived(quantity, StockSources.InitialStock), cancellationToken);
            }, cancellationToken);

        foreach (var sku in known)
            if (await events.Version(StockFold.StreamId(sku), cancellationToken) == 0)
                await InTransaction(db, async () =>
                {
                    // Locks the row first, so the counts adopted are the ones the stream starts from.
                    await stock.Lock(sku, cancellationToken);
                    var row = await db.Set<StockItem>().AsNoTracking().SingleAsync(s => s.Sku == sku, cancellationToken);
                    await events.Append(StockFold.StreamId(sku), 0, new StockCounted(row.Available, row.Reserved), cancellationToken);
                    await db.Set<StockItem>().Where(s => s.Sku == sku).ExecuteUpdateAsync(u => u.SetProperty(s => s.Version, 1), cancellationToken);
                }, cancellationToken);
    }

    /// <summary>Commits what <paramref name="work"/> did; a stream another host began meanwhile leaves this one's work undone.</summary>
    static async Task InTransaction(DbContext db, Func<Task> work, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            await work();
            await transaction.CommitAsync(cancellationToken);
        }
        catch (StreamVersionConflictException)
        {
            await transaction.RollbackAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
