using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using SagaEngine.Host.Api;
using SagaEngine.Host.EventStore.Projections;
using SagaEngine.Host.Persistence;
using SagaEngine.Host.Persistence.Providers;
using SagaEngine.Tests.Persistence;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.EventStore;

/// <summary>
/// A database from before the event store keeps its stock: each row's counts become the first event of
/// its SKU's stream, and the flow goes on from there.
/// </summary>
public class AdoptedStock_Specs
{
    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Should_start_each_existing_sku_s_stream_with_its_counts(DatabaseProvider provider)
    {
        await using var database = new TestDatabase(provider);
        await using (var db = OldContext(database))
        {
            var migrations = db.Database.GetMigrations().ToList();
            var beforeEventStore = migrations[migrations.FindIndex(m => m.EndsWith("_EventStore", StringComparison.Ordinal)) - 1];
            await db.GetService<IMigrator>().MigrateAsync(beforeEventStore);
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO inventory_stock ("Sku", "Available", "Reserved", "Version") VALUES ('SKU-1', 990, 10, 12), ('SKU-OLD', 7, 0, 3)
                """);
        }

        await using var host = new SagaEngineFactory(database).OnInMemoryBus();
        var http = host.CreateClient();

        var stream = (await http.GetFromJsonAsync<StreamPage>("/streams/sku-SKU-OLD"))!;
        Assert.Equal("StockCounted", stream.Events.Single().Type);
        Assert.Equal((7, 0), (stream.Events[0].Data.GetProperty("available").GetInt32(), stream.Events[0].Data.GetProperty("reserved").GetInt32()));
        Assert.Equal(new StockView("SKU-1", 990, 10, 1), await http.GetFromJsonAsync<StockView>("/inventory/SKU-1"));
        // A SKU configured but missing got its initial stock as its first receipt.
        Assert.Equal("StockReceived", (await http.GetFromJsonAsync<StreamPage>("/streams/sku-SKU-2"))!.Events.Single().Type);

        var api = new OrdersClient(http);
        Assert.Equal("Confirmed", (await api.WaitUntilEnded(await api.Submit("SKU-1", 4))).State);
        Assert.Equal(new StockView("SKU-1", 986, 14, 2), await api.Stock("SKU-1"));
        Assert.Empty((await http.GetFromJsonAsync<CheckReport>("/projections/inline/stock/check"))!.Differences);
    }

    static SagaEngineDbContext OldContext(TestDatabase database) => database.Provider == DatabaseProvider.Postgres
        ? new PostgresSagaEngineDbContext(new DbContextOptionsBuilder<PostgresSagaEngineDbContext>()
            .UseNpgsql(database.PostgresConnectionString).Options)
        : new SqliteSagaEngineDbContext(new DbContextOptionsBuilder<SqliteSagaEngineDbContext>()
            .UseSqlite($"Data Source={database.SqlitePath}").Options);
}
