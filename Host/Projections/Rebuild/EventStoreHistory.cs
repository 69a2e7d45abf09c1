using Microsoft.EntityFrameworkCore;
using SagaEngine.EventSourcing;
using SagaEngine.Host.EventStore;

namespace SagaEngine.Host.Projections.Rebuild;

/// <summary>
/// The event store's global feed as a rebuild's history: every stream's events in position order, as stored
/// (the type's name, its schema version and JSON). Each projection passes over the types it does not read
/// (stock, accounts, an order's own step records), so the history needs no filter of its own.
/// </summary>
/// <remarks>
/// Not registered by default (<c>ProjectionsBuilder.RebuildFrom&lt;EventStoreHistory&gt;()</c> does it): the store
/// dates an order's event when the saga's step appended it, the topics when it was sent, some milliseconds
/// earlier, so rows rebuilt from it would differ from the live ones in their times. The order stream must
/// keep each message's sent time first (see docs/projections.md).
/// </remarks>
public sealed class EventStoreHistory(IServiceScopeFactory scopes) : IEventHistory
{
    public async Task<IReadOnlyList<HistoryEvent>> Read(long after, int limit, CancellationToken cancellationToken)
    {
        // A scope per page: the feed reads outside any transaction, on a context of its own.
        await using var scope = scopes.CreateAsyncScope();
        var page = await scope.ServiceProvider.GetRequiredService<IEventFeed>().Read(after, limit, cancellationToken: cancellationToken);
        return page.Events.Select(e => new HistoryEvent(e.Position, e.StreamId, e.Version, e.Type, e.SchemaVersion, e.Data, e.RecordedAt)).ToList();
    }

    public async Task<long?> LastPosition(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DbContext>();
        return await db.Set<StoredEvent>().MaxAsync(e => (long?)e.Position, cancellationToken);
    }
}
