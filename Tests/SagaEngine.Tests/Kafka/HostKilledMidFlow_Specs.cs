using SagaEngine.Host.Persistence;
using SagaEngine.Tests.Persistence;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Kafka;

/// <summary>
/// A host process SIGKILLed while orders are on their way through Kafka: a new host, on the same
/// database and broker, finishes every one of them, and no order is charged twice.
/// </summary>
public class HostKilledMidFlow_Specs
{
    const int Orders = 120;

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Should_have_a_new_host_finish_every_order_with_one_charge_each(DatabaseProvider provider)
    {
        await using var database = new TestDatabase(provider);
        await using var broker = await KafkaBrokerProcess.Start();
        var settings = new Dictionary<string, string?>(database.Settings);
        foreach (var (key, value) in broker.HostSettings)
            settings[key] = value;

        var orders = new (Guid Id, string Ending)[Orders];
        DateTime killedAt;
        await using (var first = await HostProcess.Start(settings))
        {
            var api = new OrdersClient(first.Client);
            await Parallel.ForEachAsync(Enumerable.Range(0, Orders), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
                orders[i] = i % 4 == 3
                    ? (await api.Submit("SKU-2", 1, token: "tok_decline"), "Cancelled")
                    : (await api.Submit("SKU-1", 1), "Confirmed"));
            killedAt = DateTime.UtcNow;
            await first.Kill();
        }

        await using var second = await HostProcess.Start(settings);
        var next = new OrdersClient(second.Client);
        var ended = new List<SagaEngine.Host.Api.OrderView>();
        foreach (var (id, ending) in orders)
        {
            var order = await next.WaitUntilEnded(id, seconds: 90);
            Assert.Equal(ending, order.State);
            ended.Add(order);
        }

        // The kill really did interrupt the flow: some orders ended only in the second host.
        Assert.Contains(ended, o => o.History[^1].At > killedAt);
        foreach (var (id, ending) in orders)
            Assert.Equal(ending == "Confirmed" ? 1 : 0, (await next.Payments(id)).Count(e => e.Kind == "Charge"));
    }
}
