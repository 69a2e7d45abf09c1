using System.Collections.Concurrent;
using SagaEngine.Bench.Api;

namespace SagaEngine.Bench.Load;

/// <summary>
/// Learns when accepted orders reach a terminal state with one long poll per order
/// (<c>GET /orders/{id}?waitForTerminal=</c>, which the host answers when the order ends), asked again,
/// no sooner than the poll interval, only when an order has not ended by the end of the wait. Requests
/// are paced to a maximum rate, so watching the host never becomes a load of its own. Latency is not
/// measured here (the host's own timestamps are used for that); this only decides when an order stops
/// being in flight.
/// </summary>
public sealed class CompletionTracker(SagaEngineClient client, TimeSpan pollInterval, double maxPollsPerSecond) : IDisposable
{
    /// <summary>Below the benchmark's request timeout (30 s), so a wait that runs out is an answer, not a failure.</summary>
    public static readonly TimeSpan LongPoll = TimeSpan.FromSeconds(20);

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
            await _pacer.WaitAsync(stop);
            string? state = null;
            try
            {
                Interlocked.Increment(ref _polls);
                state = await client.WaitForOrderStateAsync(orderId, LongPoll, stop);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !stop.IsCancellationRequested)
            {
                // A host too busy to answer one poll is not a lost order; the verification decides that.
                Interlocked.Increment(ref _pollErrors);
            }
            if (state is not null && ObservedOrder.TerminalStates.Contains(state))
                return;
            await Task.Delay(pollInterval, stop);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }
}
