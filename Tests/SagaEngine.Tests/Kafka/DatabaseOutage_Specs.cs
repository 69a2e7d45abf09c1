using Npgsql;
using SagaEngine.Host.Persistence;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Kafka;

/// <summary>
/// PostgreSQL goes away while orders are on their way: consumers cannot commit, so they store no
/// offsets and retry with back-off; when the database is back they resume and no record is skipped.
/// </summary>
public class DatabaseOutage_Specs
{
    const int Orders = 30;

    [Fact]
    public async Task Should_resume_when_the_database_returns_and_end_every_order_exactly_once()
    {
        await using var host = new SagaEngineFactory(DatabaseProvider.Postgres);
        var direct = new NpgsqlConnectionStringBuilder(host.Database.PostgresConnectionString);
        await using var proxy = new TcpProxy(direct.Port);
        host.With("ConnectionStrings:SagaEngine", new NpgsqlConnectionStringBuilder(direct.ConnectionString) { Port = proxy.Port }.ToString());
        var api = new OrdersClient(host.CreateClient());
        await api.WaitUntilEnded(await api.Submit());

        var orders = new List<(Guid Id, string Ending)>();
        for (var i = 0; i < Orders; i++)
            orders.Add(i % 3 == 2 ? (await api.Submit(token: "tok_decline"), "Cancelled") : (await api.Submit(), "Confirmed"));
        proxy.Cut();
        var cutAt = DateTime.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(3)); // the outage itself: nothing to wait for but time
        proxy.Restore();

        var ended = new List<SagaEngine.Host.Api.OrderView>();
        foreach (var (id, ending) in orders)
        {
            var order = await api.WaitUntilEnded(id, seconds: 90);
            Assert.Equal(ending, order.State);
            // No step skipped and none done twice.
            Assert.Equal(ending == "Confirmed" ? 3 : 4, order.History.Count);
            Assert.Equal(ending == "Confirmed" ? 1 : 0, (await api.Payments(id)).Count(e => e.Kind == "Charge"));
            ended.Add(order);
        }
        Assert.Contains(ended, o => o.History[^1].At > cutAt.AddSeconds(2));
    }
}
