using Microsoft.EntityFrameworkCore;
using SagaEngine.Sagas;

namespace SagaEngine.Host.Api;

/// <summary>
/// Requests waiting for orders to end (<c>GET /orders/{id}?waitForTerminal=</c>). A waiter holds neither
/// a thread nor a database connection: it is a task. A saga of this process that ends an order completes
/// that order's waiters itself, once the transition has committed (<see cref="Ended"/>), so an order that
/// ends here costs no query at all. Orders ended by another host are found by one shared loop that asks,
/// every <see cref="RecheckInterval"/> while someone waits, in one query for every waiting order, which
/// of them have ended.
/// </summary>
public sealed class OrderOutcomeWaiters(IServiceScopeFactory scopes, OrderStateMachine machine, ILogger<OrderOutcomeWaiters> logger)
    : BackgroundService
{
    public static readonly TimeSpan RecheckInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>One query asks about at most this many orders.</summary>
    const int MaxIdsPerQuery = 500;

    readonly Dictionary<Guid, Waiting> _waiting = [];
    readonly SemaphoreSlim _wake = new(0, 1);

    /// <summary>Confirmed or Cancelled: nothing more happens to the order.</summary>
    public bool HasEnded(string state) => state == machine.Confirmed.Name || state == machine.Cancelled.Name;

    /// <summary>
    /// Starts watching an order before its state is read, so that an end committed after that read is not missed:
    /// dispose the watch when done with it.
    /// </summary>
    public OrderWatch Watch(Guid orderId)
    {
        Waiting waiting;
        bool first;
        lock (_waiting)
        {
            first = _waiting.Count == 0;
            if (!_waiting.TryGetValue(orderId, out waiting!))
                _waiting[orderId] = waiting = new Waiting();
            waiting.Count++;
        }
        // The loop sleeps while nobody waits; the first waiter starts its rechecks.
        if (first)
            Wake();
        return new OrderWatch(this, orderId, waiting);
    }

    /// <summary>A saga of this process ended the order, and that has committed: its waiters can answer.</summary>
    public void Ended(Guid orderId)
    {
        lock (_waiting)
            if (_waiting.TryGetValue(orderId, out var waiting))
                waiting.Ended.TrySetResult();
    }

    void Unwatch(Guid orderId, Waiting waiting)
    {
        lock (_waiting)
            if (--waiting.Count == 0 && _waiting.TryGetValue(orderId, out var current) && current == waiting)
                _waiting.Remove(orderId);
    }

    void Wake()
    {
        lock (_wake)
            if (_wake.CurrentCount == 0)
                _wake.Release();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            Guid[] ids;
            lock (_waiting)
                ids = _waiting.Keys.ToArray();
            try
            {
                // Nobody waiting: nothing to ask until someone does. A new waiter read its order's state just
                // now, so the first question is due an interval later.
                if (ids.Length == 0)
                    await _wake.WaitAsync(stoppingToken);
                else
                    await CompleteEnded(ids, stoppingToken);
                await Pause(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The database may be away for a moment; waiters time out with the state they can get.
                logger.LogWarning(e, "Could not look up whether {Count} waited-for orders have ended", ids.Length);
                if (!await Pause(stoppingToken))
                    return;
            }
        }
    }

    static async Task<bool> Pause(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(RecheckInterval, stoppingToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    async Task CompleteEnded(Guid[] ids, CancellationToken cancellationToken)
    {
        string[] terminal = [machine.Confirmed.Name, machine.Cancelled.Name];
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DbContext>();
        foreach (var chunk in ids.Chunk(MaxIdsPerQuery))
        {
            var ended = await db.Set<OrderState>().AsNoTracking()
                .Where(o => chunk.Contains(o.CorrelationId) && terminal.Contains(o.CurrentState))
                .Select(o => o.CorrelationId)
                .ToListAsync(cancellationToken);
            lock (_waiting)
                foreach (var id in ended)
                    if (_waiting.TryGetValue(id, out var waiting))
                        waiting.Ended.TrySetResult();
        }
    }

    internal sealed class Waiting
    {
        public readonly TaskCompletionSource Ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Count;
    }

    /// <summary>One request's watch on one order.</summary>
    public sealed class OrderWatch : IDisposable
    {
        readonly OrderOutcomeWaiters _waiters;
        readonly Guid _orderId;
        readonly Waiting _waiting;
        int _disposed;

        internal OrderWatch(OrderOutcomeWaiters waiters, Guid orderId, Waiting waiting)
        {
            _waiters = waiters;
            _orderId = orderId;
            _waiting = waiting;
        }

        /// <summary>True when the order was seen ended before the timeout, false when the timeout passed first.</summary>
        public async Task<bool> Ended(TimeSpan timeout, CancellationToken cancellationToken)
        {
            try
            {
                await _waiting.Ended.Task.WaitAsync(timeout, cancellationToken);
                return true;
            }
            catch (TimeoutException)
            {
                return false;
            }
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
                _waiters.Unwatch(_orderId, _waiting);
        }
    }
}
