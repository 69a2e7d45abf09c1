using SagaEngine.Host.Persistence;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Persistence;

/// <summary>
/// A host process killed (SIGKILL) after it committed and before it delivered: what it committed is
/// in the outbox, and the next process delivers it. Every order still reaches its end.
/// </summary>
public class Crash_Specs
{
    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Messages_committed_by_a_killed_process_are_delivered_by_the_next(DatabaseProvider provider)
    {
        await using var database = new TestDatabase(provider);
        var orders = new List<(Guid Id, string Ending)>();

        // The first process commits orders but, with its relay off, never delivers: then it dies.
        await using (var first = await HostProcess.Start(With(database.Settings, ("Outbox:RelayEnabled", "false"))))
        {
            var api = new OrdersClient(first.Client);
            for (var i = 0; i < 4; i++)
            {
                orders.Add((await api.Submit("SKU-1", 1), "Confirmed"));
                orders.Add((await api.Submit("SKU-LOW", 99), "Cancelled"));
                orders.Add((await api.Submit("SKU-2", 1, token: "tok_decline"), "Cancelled"));
            }
            foreach (var (id, _) in orders)
                Assert.Equal("Submitted", (await api.Find(id))!.State);
            Assert.Equal(orders.Count, (await api.Outbox()).Pending);

            await first.Kill();
        }

        await using var second = await HostProcess.Start(database.Settings);
        var next = new OrdersClient(second.Client);
        foreach (var (id, ending) in orders)
            Assert.Equal(ending, (await next.WaitUntilEnded(id))!.State);
        await Eventually.True(async () => (await next.Outbox()).Pending == 0, "the outbox is empty");
    }

    static Dictionary<string, string?> With(IReadOnlyDictionary<string, string?> settings, params (string Key, string Value)[] more)
    {
        var all = new Dictionary<string, string?>(settings);
        foreach (var (key, value) in more)
            all[key] = value;
        return all;
    }
}
