using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SagaEngine.Contracts;
using SagaEngine.EventSourcing;
using SagaEngine.Host.EventStore;
using SagaEngine.Host.Projections.Rebuild;

namespace SagaEngine.Tests.Projections;

/// <summary>
/// The host's own history, the event store's global feed, which a spec can tell to fail partway, as a store that
/// went away mid-rebuild would; and a way to put orders into the store that no topic holds any more.
/// </summary>
public sealed class FaultyStoreHistory : IEventHistory
{
    IServiceProvider? _services;
    EventStoreHistory? _store;

    /// <summary>Reading past this position throws.</summary>
    public long? FailAfter { get; set; }

    /// <summary>The registration that takes the host's place for <see cref="IEventHistory"/>.</summary>
    public IEventHistory Over(IServiceProvider services)
    {
        _services = services;
        _store = ActivatorUtilities.CreateInstance<EventStoreHistory>(services);
        return this;
    }

    public Task<IReadOnlyList<HistoryEvent>> Read(long after, int limit, CancellationToken cancellationToken) =>
        after >= FailAfter
            ? throw new InvalidOperationException($"The event history did not answer after position {after}.")
            : Store.Read(after, limit, cancellationToken);

    public Task<long?> LastPosition(CancellationToken cancellationToken) => Store.LastPosition(cancellationToken);

    /// <summary>How many events the store holds now, of every stream.</summary>
    public async Task<int> Count()
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DbContext>().Set<StoredEvent>().CountAsync();
    }

    /// <summary>
    /// Appends orders to the store as their streams keep them, dated as given: events older than anything Kafka still
    /// holds, which only a rebuild from the store can bring into a read model.
    /// </summary>
    public async Task Append(IEnumerable<(Guid OrderId, IReadOnlyList<(object Message, DateTime At)> Events)> orders)
    {
        foreach (var chunk in orders.Chunk(100))
        {
            await using var scope = Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<IEventStreams>().Append(chunk
                .Select(o => new StreamAppend($"order-{o.OrderId}", 0, o.Events.Select(e => new NewEvent(e.Message, OccurredAt: e.At)).ToList()))
                .ToList());
        }
    }

    IServiceProvider Services => _services ?? throw new InvalidOperationException("The host has not started yet.");

    EventStoreHistory Store => _store ?? throw new InvalidOperationException("The host has not started yet.");
}
