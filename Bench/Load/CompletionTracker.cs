using System.Collections.Concurrent;
using SagaEngine.Bench.Api;

namespace SagaEngine.Bench.Load;

/// <summary>
/// Learns when accepted orders reach a terminal state by polling each outstanding order no more often
/// than the poll interval, with all polls together paced to a maximum rate and a bounded number at
/// once. Watching the host must not become a load of its own, least of all when it falls behind and
/// the outstanding orders pile up. Latency is not measured here (the host's own timestamps are used
/// for that); this only decides when an order stops being in flight.
/// </summary>
public sealed class CompletionTracker(SagaEngineClient client, TimeSpan pollInterval, double maxPollsPerSecond, int maxConcurrentPolls = 16)
    : IDisposable
{
    readonly SemaphoreSlim _pollGate = new(maxConcurrentPolls);
    readonly Pacer _pacer = new(maxPollsPerSecond);
    readonly CancellationTokenSource _stop = new();
    readonly ConcurrentDictionary<Guid, Task> _followed = new();
    long _polls;
    long _pollErrors;

    public long Polls => Interlocked.Read(ref _polls);

    public long PollErrors => Interlocked.Read(ref _pollErrors);

    /// <summary>Completes when the order was seen in a terminal state; cancelled if polling stops first.</summary>
    public Task Track(Guid orderId) => _followed.GetOrAdd(orderId, id => FollowAsync(id, _stop.Token));

    /// <summary>True when every one of the orders ended within the timeout.</summary>
    public async Task<bool> WaitForAsync(IEnumerable<Guid> orderIds, TimeSpan timeout)
    {
        var all = Task.WhenAll(orderIds.Select(Track));
        try
        {
            await all.WaitAsync(timeout);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public int Outstanding => _followed.Values.Count(t => !t.IsCompleted);

    /// <summary>Stops every poll; orders not seen ending by now stay unfinished.</summary>
    public void Stop() => _stop.Cancel();

    async Task FollowAsync(Guid orderId, CancellationToken stop)
    {
        while (true)
        {
            await Task.Delay(pollInterval, stop);
            await _pacer.WaitAsync(stop);
            await _pollGate.WaitAsync(stop);
            string? state;
            try
            {
                Interlocked.Increment(ref _polls);
                state = await client.GetOrderStateAsync(orderId, stop);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !stop.IsCancellationRequested)
            {
                // A host too busy to answer one poll is not a lost order; the verification decides that.
                Interlocked.Increment(ref _pollErrors);
                continue;
            }
            finally
            {
                _pollGate.Release();
            }
            if (state is not null && ObservedOrder.TerminalStates.Contains(state))
                return;
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
        _pollGate.Dispose();
    }
}
