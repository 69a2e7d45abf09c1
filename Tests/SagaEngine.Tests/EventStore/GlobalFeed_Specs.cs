using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SagaEngine.EventSourcing;
using SagaEngine.Host.EventStore;
using SagaEngine.Host.Persistence;
using SagaEngine.Tests.Persistence;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.EventStore;

/// <summary>
/// A reader that follows the global feed with a position cursor never skips an event: it is never given
/// a position while a lower one may still commit.
/// </summary>
public class GlobalFeed_Specs
{
    [Fact]
    public async Task Should_hold_back_a_later_position_until_a_lower_one_committed_after_it_is_visible()
    {
        await using var host = new SagaEngineFactory(DatabaseProvider.Postgres).OnInMemoryBus().WithServices(TallyFold.Register);
        var last = (await host.AllEvents()).Select(e => e.Position).DefaultIfEmpty(0).Max();

        // The first transaction takes the lower position and stays open; the second takes the next one and commits.
        await using var first = host.Services.CreateAsyncScope();
        var firstDb = first.ServiceProvider.GetRequiredService<DbContext>();
        await using var firstTransaction = await firstDb.Database.BeginTransactionAsync();
        await first.ServiceProvider.GetRequiredService<IEventStreams>().Append(TallyFold.NewStream(), 0, new Tallied(1));
        await host.Append(TallyFold.NewStream(), 0, new Tallied(2));

        var committed = await host.AllEvents();
        Assert.Equal([last + 2], committed.Where(e => e.Position > last).Select(e => e.Position));
        Assert.Empty(await host.Feed(last, 10));

        await firstTransaction.CommitAsync();

        Assert.Equal([last + 1, last + 2], (await host.Feed(last, 10)).Select(e => e.Position));
    }

    [Fact]
    public async Task Should_pass_a_position_whose_transaction_rolled_back()
    {
        await using var host = new SagaEngineFactory(DatabaseProvider.Postgres).OnInMemoryBus().WithServices(TallyFold.Register);
        var last = (await host.AllEvents()).Select(e => e.Position).DefaultIfEmpty(0).Max();

        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            await scope.ServiceProvider.GetRequiredService<IEventStreams>().Append(TallyFold.NewStream(), 0, new Tallied(1));
            await transaction.RollbackAsync();
        }
        await host.Append(TallyFold.NewStream(), 0, new Tallied(2));

        Assert.Equal([last + 2], (await host.Feed(last, 10)).Select(e => e.Position));
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Should_give_a_follower_every_committed_event_once_in_position_order_while_writers_commit_out_of_order(
        DatabaseProvider provider)
    {
        const int writers = 8, appendsEach = 25;
        await using var host = new SagaEngineFactory(provider).OnInMemoryBus().WithServices(TallyFold.Register);
        var start = (await host.AllEvents()).Select(e => e.Position).DefaultIfEmpty(0).Max();
        var writing = new CancellationTokenSource();

        // Each writer holds its transaction open for a random while after appending, and rolls back one in five.
        var writes = Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var random = new Random(w);
            for (var i = 0; i < appendsEach; i++)
            {
                await using var scope = host.Services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<DbContext>();
                await using var transaction = await db.Database.BeginTransactionAsync();
                await scope.ServiceProvider.GetRequiredService<IEventStreams>().Append(TallyFold.NewStream(), 0, new Tallied(i));
                await Task.Delay(random.Next(0, 15));
                if (random.Next(5) == 0)
                    await transaction.RollbackAsync();
                else
                    await transaction.CommitAsync();
            }
        })));

        var seen = new List<long>();
        var follow = Task.Run(async () =>
        {
            var cursor = start;
            while (true)
            {
                var page = await host.Feed(cursor, 7);
                seen.AddRange(page.Select(e => e.Position));
                if (page.Count > 0)
                    cursor = page[^1].Position;
                else if (writing.IsCancellationRequested)
                    return;
                else
                    await Task.Delay(5);
            }
        });

        await writes;
        // The follower reads until it has caught up with everything committed.
        var committed = (await host.AllEvents()).Where(e => e.Position > start).Select(e => e.Position).ToList();
        await Eventually.True(() => follow.IsFaulted || seen.Count >= committed.Count, "the follower has caught up");
        writing.Cancel();
        await follow;

        // Some rolled back, so the positions committed have gaps that the follower had to cross.
        Assert.InRange(committed.Count, 1, writers * appendsEach - 1);
        Assert.Equal(committed, seen);
    }
}
