using SagaEngine.Tests.Support;
using MassTransit;
using MassTransit.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SagaEngine.Consumers;
using SagaEngine.Consumers.Inventory;
using SagaEngine.Consumers.Payment;
using SagaEngine.Host.EventStore;
using SagaEngine.Host.Persistence;

namespace SagaEngine.Tests.Consumers;

/// <summary>The inventory and payment services on the test harness, over their real tables in SQLite.</summary>
public sealed class ServicesHarness : IAsyncDisposable
{
    readonly ServiceProvider _provider;
    readonly string _directory;

    ServicesHarness(ServiceProvider provider, string directory)
    {
        _provider = provider;
        _directory = directory;
        Harness = provider.GetRequiredService<ITestHarness>();
    }

    public ITestHarness Harness { get; }

    public static async Task<ServicesHarness> Start(params (string Sku, int Available)[] stock)
    {
        var directory = Directory.CreateTempSubdirectory("sagaengine-services-").FullName;
        var settings = new Dictionary<string, string?> { ["Payment:MaxAmount"] = "10000", ["Payment:SlowDelay"] = "00:00:02" };
        foreach (var (sku, available) in stock)
            settings[$"Inventory:InitialStock:{sku}"] = available.ToString();

        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddSingleton(TimeProvider.System)
            .AddDbContext<SagaEngineDbContext>(o => o.UseSqlite($"Data Source={Path.Combine(directory, "services.db")}"))
            .AddScoped<DbContext>(sp => sp.GetRequiredService<SagaEngineDbContext>())
            .AddOrderServiceSettings()
            .AddEventStore()
            .AddMassTransitTestHarness(x => x.AddOrderServices());
        var provider = services.BuildServiceProvider(true);

        await using (var scope = provider.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<SagaEngineDbContext>().Database.EnsureCreatedAsync();
        var harness = new ServicesHarness(provider, directory);
        await harness.Harness.Start();
        return harness;
    }

    /// <summary>Sends a command to a service's endpoint and waits until it and its replies have settled.</summary>
    public async Task Send<T>(Uri endpoint, T command) where T : class
    {
        var consumedBefore = Harness.Consumed.Select<T>().Count();
        await (await Harness.Bus.GetSendEndpoint(endpoint)).Send(command);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Harness.Consumed.Select<T>().Count() <= consumedBefore)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{typeof(T).Name} was not consumed in time.");
            await Task.Delay(20);
        }
        await Harness.Settle();
    }

    public async Task<TResult> Query<TResult>(Func<DbContext, Task<TResult>> query)
    {
        await using var scope = _provider.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<DbContext>());
    }

    public Task<StockItem> Stock(string sku) => Query(db => db.Set<StockItem>().AsNoTracking().SingleAsync(s => s.Sku == sku));

    public Task<List<LedgerEntry>> Ledger(Guid orderId) =>
        Query(db => db.Set<LedgerEntry>().AsNoTracking().Where(e => e.OrderId == orderId).ToListAsync());

    public List<T> Published<T>() where T : class => Harness.Published.Select<T>().Select(m => m.Context.Message).ToList();

    public async ValueTask DisposeAsync()
    {
        await Harness.Stop();
        await _provider.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
