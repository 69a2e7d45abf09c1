using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SagaEngine.Host.Kafka.Clients;
using SagaEngine.Host.Persistence;
using SagaEngine.Tests.Persistence;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Kafka;

/// <summary>
/// The broker goes away while orders come in: the API keeps accepting them (the outbox holds their
/// events), the host reports itself not ready, and once the broker is back every order completes.
/// </summary>
public class BrokerOutage_Specs
{
    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Should_keep_accepting_orders_and_finish_them_all_when_the_broker_returns(DatabaseProvider provider)
    {
        await using var host = new SagaEngineFactory(provider)
            .With("Kafka:RelayAckTimeoutMs", "500")
            .With("Outbox:StallAfter", "00:00:02");
        var api = new OrdersClient(host.CreateClient());
        await api.WaitUntilEnded(await api.Submit());
        var broker = host.Services.GetRequiredService<KafkaCluster>().EmbeddedBroker!;

        broker.TakeBrokerDown(1);
        var accepted = new List<(Guid Id, string Ending)>();
        var slowest = TimeSpan.Zero;
        for (var i = 0; i < 20; i++)
        {
            var started = Stopwatch.StartNew();
            accepted.Add(i % 4 == 3 ? (await api.Submit(token: "tok_decline"), "Cancelled") : (await api.Submit(), "Confirmed"));
            slowest = started.Elapsed > slowest ? started.Elapsed : slowest;
        }
        await Eventually.True(async () => (await api.Http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.ServiceUnavailable,
            "the host reports itself not ready");
        Assert.True((await api.Outbox()).Pending > 0);
        Assert.All(accepted, o => Assert.Equal("Submitted", api.Find(o.Id).Result!.State));

        broker.BringBrokerUp(1);

        foreach (var (id, ending) in accepted)
            Assert.Equal(ending, (await api.WaitUntilEnded(id, seconds: 60)).State);
        await Eventually.True(async () => (await api.Http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK, "ready again");
        // Accepting never waited for the broker.
        Assert.True(slowest < TimeSpan.FromSeconds(5), $"A POST took {slowest} while the broker was down.");
    }
}
