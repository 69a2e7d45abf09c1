namespace SagaEngine.Bench.Load;

/// <summary>Offers orders for a while, in the way the load mode prescribes.</summary>
public interface ILoadDriver
{
    /// <summary>Returns once the offering time is over and every POST it started has answered.</summary>
    Task<OfferingStats> OfferAsync(RunPhase phase, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>Offers until <paramref name="until"/> is cancelled (a warm-up whose length depends on the host), then as above.</summary>
    Task<OfferingStats> OfferUntilAsync(RunPhase phase, CancellationToken until, CancellationToken cancellationToken);
}

/// <summary>How well the load generator itself kept to its plan: a late schedule means it, not the host, was the limit.</summary>
public sealed record OfferingStats(int Offered, TimeSpan MaxScheduleLag);
