using Microsoft.EntityFrameworkCore;
using SagaEngine.EventSourcing;
using SagaEngine.Host.EventStore;
using SagaEngine.Host.Persistence;
using SagaEngine.Tests.Persistence;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.EventStore;

/// <summary>
/// A stream's state as of any time equals the fold of its events recorded by then, whether the answer
/// starts from a snapshot or from the first event; snapshots are kept through time, one every
/// <c>EventStore:SnapshotEvery</c> events, and one of an older state version is ignored and written again.
/// </summary>
public class TemporalQuery_Specs
{
    const int Every = 7;
    const int Events = 120;

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Should_answer_as_a_brute_force_fold_at_random_times_with_and_without_snapshots(DatabaseProvider provider)
    {
        await using var host = NewHost(provider);
        var stream = await Fill(host);
        var events = await host.Stream(stream);
        var random = new Random(13);
        var (first, last) = (events[0].RecordedAt, events[^1].RecordedAt);
        var times = Enumerable.Range(0, 60)
            .Select(_ => first.AddTicks(-20_000 + random.NextInt64((last - first).Ticks + 40_000)))
            .Concat(events.Take(40).Select(e => e.RecordedAt))
            .Append(first.AddTicks(-10));

        var fromSnapshots = 0;
        foreach (var time in times)
        {
            var expected = BruteForce(events, time);
            var withSnapshots = await host.AsOf(TallyFold.Instance, stream, time);
            var withoutSnapshots = await host.AsOf(TallyFold.Instance, stream, time, useSnapshots: false);

            Assert.Equal(expected, withSnapshots is null ? null : (withSnapshots.State, withSnapshots.Version));
            Assert.Equal(expected, withoutSnapshots is null ? null : (withoutSnapshots.State, withoutSnapshots.Version));
            Assert.Equal(0, withoutSnapshots?.FromSnapshot ?? 0);
            if (withSnapshots is { FromSnapshot: > 0 })
            {
                fromSnapshots++;
                Assert.InRange(withSnapshots.EventsFolded, 0, Every - 1);
            }
        }
        Assert.True(fromSnapshots > 40, $"Only {fromSnapshots} answers started from a snapshot.");
        Assert.Equal((BruteForce(events, DateTime.MaxValue)!.Value.State, (long)Events),
            ((await host.AsOf(TallyFold.Instance, stream, null))!.State, (await host.AsOf(TallyFold.Instance, stream, null))!.Version));
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Should_keep_a_snapshot_at_every_multiple_of_the_setting_with_its_event_s_time(DatabaseProvider provider)
    {
        await using var host = NewHost(provider);
        var stream = await Fill(host);
        var events = await host.Stream(stream);

        var snapshots = await host.Snapshots(stream);

        Assert.Equal(Enumerable.Range(1, Events / Every).Select(i => (long)(i * Every)), snapshots.Select(s => s.Version));
        Assert.All(snapshots, s => Assert.Equal(events.Single(e => e.Version == s.Version).RecordedAt, s.RecordedAt));
        Assert.All(snapshots, s => Assert.Equal(TallyFold.Instance.StateVersion, s.StateVersion));
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Should_ignore_a_snapshot_of_an_older_state_version_and_write_it_again(DatabaseProvider provider)
    {
        await using var host = NewHost(provider);
        var stream = await Fill(host);
        var events = await host.Stream(stream);
        // Snapshots from before the state changed meaning: wrong numbers, and an older state version.
        await host.Query(db => db.Set<StoredSnapshot>().Where(s => s.StreamId == stream).ExecuteUpdateAsync(u => u
            .SetProperty(s => s.StateVersion, TallyFold.Instance.StateVersion - 1)
            .SetProperty(s => s.State, "{\"sum\":-1,\"count\":-1}")));

        var time = events[^3].RecordedAt;
        var answer = await host.AsOf(TallyFold.Instance, stream, time);

        Assert.Equal(BruteForce(events, time), (answer!.State, answer.Version));
        Assert.Equal(0, answer.FromSnapshot);
        // The query saw a long fold and asked for snapshots: they are written again, right.
        await Eventually.True(async () => (await host.Snapshots(stream)).All(s => s.StateVersion == TallyFold.Instance.StateVersion),
            "the stale snapshots are written again");
        foreach (var snapshot in await host.Snapshots(stream))
            Assert.Equal(BruteForce(events, snapshot.RecordedAt)!.Value.State,
                System.Text.Json.JsonSerializer.Deserialize<TallyState>(snapshot.State, EventStoreJson.Options));
        Assert.True((await host.AsOf(TallyFold.Instance, stream, time))!.FromSnapshot > 0);
    }

    static SagaEngineFactory NewHost(DatabaseProvider provider) =>
        new SagaEngineFactory(provider).OnInMemoryBus().With("EventStore:SnapshotEvery", Every.ToString()).WithServices(TallyFold.Register);

    /// <summary>Appends the events one at a time, as writers over time would, and waits until their snapshots are written.</summary>
    static async Task<string> Fill(SagaEngineFactory host)
    {
        var stream = TallyFold.NewStream();
        for (var i = 0; i < Events; i++)
            await host.Append(stream, i, new Tallied(i % 11 - 3));
        await Eventually.True(async () => (await host.Snapshots(stream)).Count == Events / Every, "every snapshot is written");
        return stream;
    }

    static (TallyState State, long Version)? BruteForce(IReadOnlyList<RecordedEvent> events, DateTime asOf)
    {
        var upTo = events.Where(e => e.RecordedAt <= StreamAggregator.Microseconds(asOf)).ToList();
        if (upTo.Count == 0)
            return null;
        var state = upTo.Aggregate(TallyFold.Instance.Initial,
            (s, e) => TallyFold.Instance.Apply(s, System.Text.Json.JsonSerializer.Deserialize<Tallied>(e.Data, EventStoreJson.Options)!));
        return (state, upTo[^1].Version);
    }
}
