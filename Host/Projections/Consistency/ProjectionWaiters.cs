using Microsoft.EntityFrameworkCore;
using SagaEngine.Host.Projections.Storage;

namespace SagaEngine.Host.Projections.Consistency;

/// <summary>
/// Read-your-writes for projection queries: a request waits until a stream's event with a given sequence
/// number is applied. A waiter holds neither a thread nor a database connection: it is a task, completed
/// by this host's runner right after the batch that applied it committed, or by one shared loop that
/// asks the database (in one query per projection for every waited-for stream) every
/// <see cref="RecheckInterval"/> while anyone waits, which is what sees what other hosts applied.
/// </summary>
public sealed class ProjectionWaiters(IServiceScopeFactory scopes, ILogger<ProjectionWaiters> logger) : BackgroundService
{
    public static readonly TimeSpan RecheckInterval = TimeSpan.FromMilliseconds(250);

    const int MaxKeysPerQuery = 500;

    readonly Dictionary<(string Projection, string Key), List<Waiter>> _waiting = [];
    readonly SemaphoreSlim _wake = new(0, 1);

    /// <summary>
    /// True once <paramref name="key"/>'s event <paramref name="sequence"/> (or, when null, any of its
    /// events) is applied to the live version of <paramref name="projection"/>; false when
    /// <paramref name="timeout"/> passed first.
    /// </summary>
    public async Task<bool> WaitAsync(string projection, string key, int? sequence, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var waiter = new Waiter(sequence);
        lock (_waiting)
        {
            if (!_waiting.TryGetValue((projection, key), out var list))
                _waiting[(projection, key)] = list = [];
            list.Add(waiter);
        }
        Wake();
        try
        {
            await waiter.Done.Task.WaitAsync(timeout, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
        finally
        {
            lock (_waiting)
                if (_waiting.TryGetValue((projection, key), out var list) && list.Remove(waiter) && list.Count == 0)
                    _waiting.Remove((projection, key));
        }
    }

    /// <summary>A runner of this host committed these streams' events, up to these sequence numbers.</summary>
    public void Applied(string projection, IReadOnlyDictionary<string, int?> applied)
    {
        if (applied.Count == 0)
            return;
        lock (_waiting)
        {
            if (_waiting.Count == 0)
                return;
            foreach (var (key, last) in applied)
                if (_waiting.TryGetValue((projection, key), out var list))
                    foreach (var waiter in list)
                        waiter.CompleteIfReached(exists: true, last);
        }
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
            ILookup<string, string> keys;
            lock (_waiting)
                keys = _waiting.Keys.ToLookup(k => k.Projection, k => k.Key);
            try
            {
                if (keys.Count == 0)
                    await _wake.WaitAsync(stoppingToken);
                else
                {
                    await CompleteApplied(keys, stoppingToken);
                    await _wake.WaitAsync(RecheckInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The database may be away for a moment; waiters time out and answer with the rows as they are.
                logger.LogWarning(e, "Could not look up how far projections have applied the streams waited for");
                try
                {
                    await Task.Delay(RecheckInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    async Task CompleteApplied(ILookup<string, string> keys, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DbContext>();
        foreach (var projection in keys)
        {
            var version = await ProjectionVersions.Active(db, projection.Key, cancellationToken);
            foreach (var chunk in projection.Chunk(MaxKeysPerQuery))
            {
                var rows = await db.Set<ProjectionKey>().AsNoTracking()
                    .Where(k => k.Projection == projection.Key && k.Version == version && EF.Parameter(chunk).Contains(k.Key))
                    .Select(k => new { k.Key, k.LastSequence })
                    .ToListAsync(cancellationToken);
                lock (_waiting)
                    foreach (var row in rows)
                        if (_waiting.TryGetValue((projection.Key, row.Key), out var list))
                            foreach (var waiter in list)
                                waiter.CompleteIfReached(exists: true, row.LastSequence);
            }
        }
    }

    sealed class Waiter(int? sequence)
    {
        public readonly TaskCompletionSource Done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void CompleteIfReached(bool exists, int? lastApplied)
        {
            if (exists && (sequence is null || lastApplied >= sequence))
                Done.TrySetResult();
        }
    }
}
