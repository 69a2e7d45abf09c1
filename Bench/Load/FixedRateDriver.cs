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

    public async Task<OfferingStats> OfferAsync(RunPhase phase, TimeSpan duration, CancellationToken cancellationToken)
    {
        var count = (int)Math.Round(ordersPerSecond * duration.TotalSeconds);
        var posts = new List<Task>(count);
        var maxLag = TimeSpan.Zero;
        var start = Stopwatch.GetTimestamp();

        for (var i = 0; i < count; i++)
        {
            var due = TimeSpan.FromSeconds(i / ordersPerSecond);
            var wait = due - Stopwatch.GetElapsedTime(start);
            if (wait >= MinSleep)
                await Task.Delay(wait, cancellationToken);
            var lag = Stopwatch.GetElapsedTime(start) - due;
            if (lag > maxLag)
                maxLag = lag;
            posts.Add(submitter.SubmitNextAsync(phase, cancellationToken));
        }

        await Task.WhenAll(posts);
        return new OfferingStats(count, maxLag);
    }
}
