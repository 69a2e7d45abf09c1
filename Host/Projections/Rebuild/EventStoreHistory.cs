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
/// An event is dated by when it happened (<see cref="RecordedEvent.OccurredAt"/>: the time its message was sent),
/// not by when the store recorded it, some milliseconds later: the live version dates a record by its sent time,
/// and the rebuilt rows must equal the live ones.
/// </remarks>
public sealed class EventStoreHistory(IServiceScopeFactory scopes) : IEventHistory
{
    public async Task<IReadOnlyList<HistoryEvent>> Read(long after, int limit, CancellationToken cancellationToken)
    {
        // A scope per page: the feed reads outside any transaction, on a context of its own.
        await using var scope = scopes.CreateAsyncScope();
        var page = await scope.ServiceProvider.GetRequiredService<IEventFeed>().Read(after, limit, cancellationToken: cancellationToken);
        return page.Events.Select(e => new HistoryEvent(e.Position, e.StreamId, e.Version, e.Type, e.SchemaVersion, e.Data, e.OccurredAt)).ToList();
    }

    public async Task<long?> LastPosition(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DbContext>();
        return await db.Set<StoredEvent>().MaxAsync(e => (long?)e.Position, cancellationToken);
    }
}
