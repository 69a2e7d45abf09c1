using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace SagaEngine.Consumers.Inventory;

/// <summary>Creates the configured SKUs that the database does not have yet; never resets existing counts.</summary>
public class StockSeeder(IServiceScopeFactory scopes, IOptions<InventoryOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DbContext>();

        var known = await db.Set<StockItem>().Select(s => s.Sku).ToListAsync(cancellationToken);
        var missing = options.Value.InitialStock.Where(s => !known.Contains(s.Key));
        db.AddRange(missing.Select(s => new StockItem { Sku = s.Key, Available = s.Value }));
        await db.SaveChangesAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
