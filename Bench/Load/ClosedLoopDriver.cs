namespace SagaEngine.Bench.Load;

/// <summary>
/// Closed loop: a fixed number of workers, each sending an order and sending the next only once the
/// previous one was seen in a terminal state. The host's pace sets the rate; the number of orders in
/// the system never exceeds the concurrency, so latency stays that of a saturated host, not of a queue
/// the generator filled.
/// </summary>
public sealed class ClosedLoopDriver(OrderSubmitter submitter, int concurrency, TimeSpan refusedBackoff) : ILoadDriver
{
    public async Task<OfferingStats> OfferAsync(RunPhase phase, TimeSpan duration, CancellationToken cancellationToken)
    {
        using var until = new CancellationTokenSource(duration);
        return await OfferUntilAsync(phase, until.Token, cancellationToken);
    }

    public async Task<OfferingStats> OfferUntilAsync(RunPhase phase, CancellationToken until, CancellationToken cancellationToken)
    {
        using var offering = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, until);
        var offered = 0;

        async Task Worker()
        {
            while (!offering.IsCancellationRequested)
            {
                // The POST itself is not cut short by the end of the offering: it was offered, so it counts.
                var ended = await submitter.SubmitNextAsync(phase, cancellationToken);
                Interlocked.Increment(ref offered);
                try
                {
                    // A refused order ends nothing; pausing keeps a failing host from being hammered in a tight loop.
                    await (ended?.WaitAsync(offering.Token) ?? Task.Delay(refusedBackoff, offering.Token));
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Worker()));
        return new OfferingStats(offered, TimeSpan.Zero);
    }
}
