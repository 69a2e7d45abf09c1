using Microsoft.EntityFrameworkCore;
using SagaEngine.Sagas;

namespace SagaEngine.Host.Api;

/// <summary>
/// Requests waiting for orders to end (<c>GET /orders/{id}?waitForTerminal=</c>). A waiter holds neither
/// a thread nor a database connection: it is a task completed by one shared loop that asks, in one
/// query for every waiting order, which of them have ended. The loop runs only while someone waits,
/// every <see cref="RecheckInterval"/>, and at once when a saga of this process ended an order (after
/// that transition committed). The interval is what finds orders ended by another host.
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

    /// <summary>True when the order was seen ended before the timeout, false when the timeout passed first.</summary>
    public async Task<bool> WaitAsync(Guid orderId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Waiting waiting;
        lock (_waiting)
        {
            if (!_waiting.TryGetValue(orderId, out waiting!))
                _waiting[orderId] = waiting = new Waiting();
            waiting.Count++;
        }
        Wake();
        try
        {
            await waiting.Ended.Task.WaitAsync(timeout, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
        finally
        {
            lock (_waiting)
                if (--waiting.Count == 0 && _waiting.TryGetValue(orderId, out var current) && current == waiting)
                    _waiting.Remove(orderId);
        }
    }

    /// <summary>Looks at the waiting orders now rather than at the next interval.</summary>
    public void Wake()
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
                // Nobody waiting: nothing to ask until someone does.
                if (ids.Length == 0)
                    await _wake.WaitAsync(stoppingToken);
                else
                {
                    await CompleteEnded(ids, stoppingToken);
                    await _wake.WaitAsync(RecheckInterval, stoppingToken);
                }
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

    sealed class Waiting
    {
        public readonly TaskCompletionSource Ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Count;
    }
}
