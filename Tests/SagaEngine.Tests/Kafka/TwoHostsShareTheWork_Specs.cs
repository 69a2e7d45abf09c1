using System.Net.Http.Json;
using SagaEngine.Host.Kafka.Monitoring;
using SagaEngine.Host.Persistence;
using SagaEngine.Tests.Persistence;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Kafka;

/// <summary>Two host processes on one kafka-broker process and one database, as two replicas of a deployment.</summary>
public class TwoHostsShareTheWork_Specs
{
    const int Orders = 120;

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Should_split_the_partitions_and_end_every_order_once_with_no_double_charge(DatabaseProvider provider)
    {
        await using var database = new TestDatabase(provider);
        await using var broker = await KafkaBrokerProcess.Start();
        var settings = new Dictionary<string, string?>(database.Settings);
        foreach (var (key, value) in broker.HostSettings)
            settings[key] = value;
        await using var one = await HostProcess.Start(settings);
        await using var two = await HostProcess.Start(settings);

        // Each group's partitions end up split between the two hosts, none held by both.
        foreach (var group in new[] { "order-saga", "inventory", "payment" })
            await Eventually.True(async () =>
            {
                var mine = await Assignment(one, group);
                var theirs = await Assignment(two, group);
                return mine.Count > 0 && theirs.Count > 0 && !mine.Overlaps(theirs)
                       && mine.Count + theirs.Count == await PartitionCount(one, group);
            }, $"{group}'s partitions split between the two hosts", seconds: 60);

        // Orders come in through both hosts.
        var apis = new[] { new OrdersClient(one.Client), new OrdersClient(two.Client) };
        var orders = new (Guid Id, string Ending)[Orders];
        await Parallel.ForEachAsync(Enumerable.Range(0, Orders), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
            orders[i] = i % 4 == 3
                ? (await apis[i % 2].Submit("SKU-2", 1, token: "tok_decline"), "Cancelled")
                : (await apis[i % 2].Submit("SKU-1", 1), "Confirmed"));

        foreach (var (id, ending) in orders)
        {
            var order = await apis[0].WaitUntilEnded(id, seconds: 60);
            Assert.Equal(ending, order.State);
            // Once: each step of the flow happened exactly one time.
            Assert.Equal(ending == "Confirmed" ? 3 : 4, order.History.Count);
            Assert.Equal(ending == "Confirmed" ? 1 : 0, (await apis[1].Payments(id)).Count(e => e.Kind == "Charge"));
        }
    }

    /// <summary>The partitions this host's member of the group holds, as "topic[partition]".</summary>
    static async Task<HashSet<string>> Assignment(HostProcess host, string group)
    {
        var view = (await host.Client.GetFromJsonAsync<ConsumerGroupsView>("/kafka/consumer-groups"))!.Groups.Single(g => g.Group == group);
        return view.Members.SelectMany(m => m.Assignment).ToHashSet();
    }

    static async Task<int> PartitionCount(HostProcess host, string group) =>
        (await host.Client.GetFromJsonAsync<ConsumerGroupsView>("/kafka/consumer-groups"))!.Groups.Single(g => g.Group == group).Partitions.Count;
}
