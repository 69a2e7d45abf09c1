using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SagaEngine.EventSourcing;
using SagaEngine.Host.EventStore;
using SagaEngine.Host.Persistence;
using SagaEngine.Host.Persistence.Writes;
using SagaEngine.Tests.Persistence;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.EventStore;

/// <summary>
/// A reader that follows the global feed with a position cursor never skips an event: it is never given
/// a position while a lower one may still commit.
/// </summary>
public class GlobalFeed_Specs
{
    // On PostgreSQL an append inside a transaction goes with the COMMIT (see CommitBatch): a transaction holds a
    // position uncommitted only while the statements sent after its events run. These specs stretch that moment with
    // a lock that a statement held after the events waits on, or end it with a statement that fails.

    [Fact]
    public async Task Should_hold_back_a_later_position_until_a_lower_one_committed_after_it_is_visible()
    {
        await using var host = new SagaEngineFactory(DatabaseProvider.Postgres).OnInMemoryBus().WithServices(TallyFold.Register);
        var last = (await host.AllEvents()).Select(e => e.Position).DefaultIfEmpty(0).Max();
        var lockKey = Random.Shared.NextInt64();
        await using var blocker = new NpgsqlConnection(host.Database.PostgresConnectionString + ";Pooling=false");
        await blocker.OpenAsync();
        await Run(blocker, $"SELECT pg_advisory_lock({lockKey})");

        // The first transaction takes the lower position and waits on the lock before its COMMIT; the second takes the next one and commits.
        var first = AppendAndCommit(host, new Tallied(1), (batch, db) => batch.HoldStatement(db, "SELECT pg_advisory_xact_lock({0})", lockKey));
        await WaitFor(blocker, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted");
        await host.Append(TallyFold.NewStream(), 0, new Tallied(2));

        var committed = await host.AllEvents();
        Assert.Equal([last + 2], committed.Where(e => e.Position > last).Select(e => e.Position));
        Assert.Empty(await host.Feed(last, 10));

        await Run(blocker, $"SELECT pg_advisory_unlock({lockKey})");
        await first;

        Assert.Equal([last + 1, last + 2], (await host.Feed(last, 10)).Select(e => e.Position));
    }

    [Fact]
    public async Task Should_pass_a_position_whose_transaction_rolled_back()
    {
        await using var host = new SagaEngineFactory(DatabaseProvider.Postgres).OnInMemoryBus().WithServices(TallyFold.Register);
        var last = (await host.AllEvents()).Select(e => e.Position).DefaultIfEmpty(0).Max();

        // Its events are inserted (taking a position), then a statement after them fails, and the transaction with it.
        await Assert.ThrowsAsync<DbUpdateException>(() =>
            AppendAndCommit(host, new Tallied(1), (batch, db) => batch.HoldStatement(db, "SELECT 1 / {0}", 0)));
        await host.Append(TallyFold.NewStream(), 0, new Tallied(2));

        Assert.Equal([last + 2], (await host.Feed(last, 10)).Select(e => e.Position));
    }

    /// <summary>Appends <paramref name="tallied"/> to a new stream in a transaction, holds <paramref name="after"/> after it, and commits.</summary>
    static async Task AppendAndCommit(SagaEngineFactory host, Tallied tallied, Func<CommitBatch, DbContext, bool> after)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync();
        await scope.ServiceProvider.GetRequiredService<IEventStreams>().Append(TallyFold.NewStream(), 0, tallied);
        Assert.True(after(scope.ServiceProvider.GetRequiredService<CommitBatch>(), db));
        await transaction.CommitAsync();
    }

    static async Task<object?> Run(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    static async Task WaitFor(NpgsqlConnection connection, string countSql)
    {
        var until = DateTime.UtcNow.AddSeconds(10);
        while (Convert.ToInt64(await Run(connection, countSql)) == 0)
        {
            Assert.True(DateTime.UtcNow < until, $"timed out waiting for: {countSql}");
            await Task.Delay(20);
        }
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
