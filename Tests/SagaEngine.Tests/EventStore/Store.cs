using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SagaEngine.EventSourcing;
using SagaEngine.Host.EventStore;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.EventStore;

/// <summary>The event store of a test host, each call in a scope (and so a DbContext and connection) of its own.</summary>
public static class Store
{
    public static async Task<T> In<T>(this SagaEngineFactory host, Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    public static Task Append(this SagaEngineFactory host, string streamId, long expectedVersion, params object[] events) =>
        host.In(async s =>
        {
            await s.GetRequiredService<IEventStreams>().Append([StreamAppend.Of(streamId, expectedVersion, events)]);
            return 0;
        });

    public static Task<IReadOnlyList<RecordedEvent>> Stream(this SagaEngineFactory host, string streamId, long fromVersion = 1, int limit = 100_000) =>
        host.In(s => s.GetRequiredService<EventStreamReader>().Read(streamId, fromVersion, limit, CancellationToken.None));

    public static Task<IReadOnlyList<RecordedEvent>> Feed(this SagaEngineFactory host, long after, int limit) =>
        host.In(s => s.GetRequiredService<GlobalFeed>().Read(after, limit, CancellationToken.None));

    public static Task<StreamState<TState>?> AsOf<TState>(this SagaEngineFactory host, StreamFold<TState> fold, string streamId,
        DateTime? asOf, bool useSnapshots = true)
        where TState : class =>
        host.In(s => s.GetRequiredService<StreamAggregator>().AsOf(fold, streamId, asOf, useSnapshots));

    /// <summary>Every committed event, in position order, read straight from the table.</summary>
    public static Task<List<StoredEvent>> AllEvents(this SagaEngineFactory host) =>
        host.Query(db => db.Set<StoredEvent>().AsNoTracking().OrderBy(e => e.Position).ToListAsync());

    public static Task<List<StoredSnapshot>> Snapshots(this SagaEngineFactory host, string streamId) =>
        host.Query(db => db.Set<StoredSnapshot>().AsNoTracking().Where(s => s.StreamId == streamId).OrderBy(s => s.Version).ToListAsync());
}
