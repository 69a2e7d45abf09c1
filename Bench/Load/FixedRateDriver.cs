using System.Diagnostics;

namespace SagaEngine.Bench.Load;

/// <summary>
/// Open loop: order i is due at i / rate seconds after the start, whether or not the host has answered
/// the orders before it. Due times come from the index, not from the previous send, so a late wake-up
/// never accumulates into drift; a late generator shows up as schedule lag instead.
/// </summary>
public sealed class FixedRateDriver(OrderSubmitter submitter, double ordersPerSecond) : ILoadDriver
{
    /// <summary>Sleeping for less than this is left to the next send: timers are not finer.</summary>
    static readonly TimeSpan MinSleep = TimeSpan.FromMilliseconds(1);

    public Task<OfferingStats> OfferAsync(RunPhase phase, TimeSpan duration, CancellationToken cancellationToken) =>
        Offer(phase, (int)Math.Round(ordersPerSecond * duration.TotalSeconds), CancellationToken.None, cancellationToken);

    public Task<OfferingStats> OfferUntilAsync(RunPhase phase, CancellationToken until, CancellationToken cancellationToken) =>
        Offer(phase, int.MaxValue, until, cancellationToken);

    async Task<OfferingStats> Offer(RunPhase phase, int count, CancellationToken until, CancellationToken cancellationToken)
    {
        var posts = new List<Task>();
        var maxLag = TimeSpan.Zero;
        var start = Stopwatch.GetTimestamp();
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, until);

        for (var i = 0; i < count && !until.IsCancellationRequested; i++)
        {
            var due = TimeSpan.FromSeconds(i / ordersPerSecond);
            var wait = due - Stopwatch.GetElapsedTime(start);
            if (wait >= MinSleep)
            {
                try
                {
                    await Task.Delay(wait, waiting.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    break;
                }
            }
            var lag = Stopwatch.GetElapsedTime(start) - due;
            if (lag > maxLag)
                maxLag = lag;
            posts.Add(submitter.SubmitNextAsync(phase, cancellationToken));
        }

        await Task.WhenAll(posts);
        return new OfferingStats(posts.Count, maxLag);
    }
}
