using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SagaEngine.EventSourcing;
using SagaEngine.Host.Messaging.Retry;
using SagaEngine.Host.Persistence;
using SagaEngine.Tests.Persistence;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.EventStore;

/// <summary>
/// An append names the version its writer saw; a stream at any other version refuses it with a
/// <see cref="StreamVersionConflictException"/>, which the retry policy treats as a concurrency conflict.
/// </summary>
public class ExpectedVersion_Specs
{
    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Should_append_after_the_expected_version_and_refuse_any_other(DatabaseProvider provider)
    {
        await using var host = new SagaEngineFactory(provider).OnInMemoryBus().WithServices(TallyFold.Register);
        var stream = TallyFold.NewStream();

        await host.Append(stream, 0, new Tallied(1), new Tallied(2));
        // A new stream that exists, a version already taken, and one the stream never reached (no gaps).
        await Assert.ThrowsAsync<StreamVersionConflictException>(() => host.Append(stream, 0, new Tallied(3)));
        await Assert.ThrowsAsync<StreamVersionConflictException>(() => host.Append(stream, 1, new Tallied(3)));
        await Assert.ThrowsAsync<StreamVersionConflictException>(() => host.Append(stream, 5, new Tallied(3)));
        await host.Append(stream, 2, new Tallied(3));

        var events = await host.Stream(stream);
        Assert.Equal([1L, 2L, 3L], events.Select(e => e.Version));
        Assert.Equal(["{\"amount\":1}", "{\"amount\":2}", "{\"amount\":3}"], events.Select(e => e.Data));
        Assert.All(events, e => Assert.Equal(("Tallied", 1), (e.Type, e.SchemaVersion)));
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Should_let_one_of_two_writers_of_the_same_version_commit_and_refuse_the_other(DatabaseProvider provider)
    {
        await using var host = new SagaEngineFactory(provider).OnInMemoryBus().WithServices(TallyFold.Register);
        var stream = TallyFold.NewStream();
        await host.Append(stream, 0, new Tallied(1));

        // Both read version 1 and append after it, each in a transaction of its own, at once.
        var writers = await Task.WhenAll(Enumerable.Range(0, 2).Select(i => host.In(async s =>
        {
            var db = s.GetRequiredService<DbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            try
            {
                await s.GetRequiredService<IEventStreams>().Append(stream, 1, new Tallied(10 + i));
                await Task.Delay(100);
                await transaction.CommitAsync();
                return (Exception?)null;
            }
            catch (StreamVersionConflictException e)
            {
                return e;
            }
        })));

        Assert.Single(writers, e => e is null);
        Assert.Single(writers, e => e is StreamVersionConflictException);
        Assert.Equal([1L, 2L], (await host.Stream(stream)).Select(e => e.Version));
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Should_refuse_a_version_the_stream_never_had_inside_a_transaction_and_write_nothing_of_it(DatabaseProvider provider)
    {
        await using var host = new SagaEngineFactory(provider).OnInMemoryBus().WithServices(TallyFold.Register);
        var (stream, other) = (TallyFold.NewStream(), TallyFold.NewStream());
        await host.Append(stream, 0, new Tallied(1));

        // On PostgreSQL both appends wait for the COMMIT and the refusal comes from it; on SQLite from the append itself.
        await Assert.ThrowsAsync<StreamVersionConflictException>(() => host.In(async s =>
        {
            var db = s.GetRequiredService<DbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            var events = s.GetRequiredService<IEventStreams>();
            await events.Append(other, 0, new Tallied(7));
            await events.Append(stream, 5, new Tallied(2));
            await transaction.CommitAsync();
            return 0;
        }));

        Assert.Empty(await host.Stream(other));
        Assert.Equal([1L], (await host.Stream(stream)).Select(e => e.Version));
    }

    [Fact]
    public void Should_be_retried_as_a_concurrency_conflict()
    {
        var conflict = new StreamVersionConflictException([StreamAppend.Of("tally-x", 3, new Tallied(1))]);

        Assert.True(RetryableFaults.IsConcurrencyConflict(conflict));
        Assert.False(RetryableFaults.IsTransient(conflict));
        Assert.Equal("Stream version conflict: tally-x is not at version 3.", conflict.Message);
    }
}
