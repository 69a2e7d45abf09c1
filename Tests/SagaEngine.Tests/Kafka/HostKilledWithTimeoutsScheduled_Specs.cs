using SagaEngine.Contracts;
using SagaEngine.Host.Api;
using SagaEngine.Host.Persistence;
using SagaEngine.Tests.Persistence;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Kafka;

/// <summary>
/// A host process SIGKILLed while payment timeouts are scheduled and not yet due: the timeouts live in
/// the database, so the next host fires them, compensates and cancels every order.
/// </summary>
public class HostKilledWithTimeoutsScheduled_Specs
{
    const int Orders = 8;

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Should_have_the_next_host_fire_every_timeout_and_put_the_stock_back(DatabaseProvider provider)
    {
        await using var database = new TestDatabase(provider);
        await using var broker = await KafkaBrokerProcess.Start();
        var settings = new Dictionary<string, string?>(database.Settings)
        {
            // Long enough that no timeout falls due before the kill, short enough for a test.
            ["Saga:PaymentTimeout"] = "00:00:08",
            ["Outbox:PollInterval"] = "00:00:00.2"
        };
        foreach (var (key, value) in broker.HostSettings)
            settings[key] = value;

        var orders = new List<Guid>();
        StockView before;
        DateTime killedAt;
        await using (var first = await HostProcess.Start(settings))
        {
            var api = new OrdersClient(first.Client);
            before = await api.Stock("SKU-1");
            for (var i = 0; i < Orders; i++)
                orders.Add(await api.Submit("SKU-1", 1, token: "tok_timeout"));
            foreach (var id in orders)
                await Eventually.True(async () => (await api.Find(id))?.State == "AwaitingPayment", $"order {id} waiting for payment");
            killedAt = DateTime.UtcNow;
            await first.Kill();
        }

        await using var second = await HostProcess.Start(settings);
        var next = new OrdersClient(second.Client);
        foreach (var id in orders)
        {
            var order = await next.WaitUntilEnded(id, seconds: 60);
            Assert.Equal(("Cancelled", FailureReasons.PaymentTimeout), (order.State, order.FailureReason));
            // The timeout fired in the second host: the first was killed before any fell due.
            Assert.True(order.History.Single(h => h.To == "Compensating").At > killedAt, $"Order {id} timed out before the kill.");
        }
        // The same counts, each order's reservation and release on the SKU's stream.
        Assert.Equal(before with { Version = before.Version + 2 * Orders }, await next.Stock("SKU-1"));
    }
}
