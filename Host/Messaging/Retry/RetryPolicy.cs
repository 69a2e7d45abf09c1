namespace SagaEngine.Host.Messaging.Retry;

/// <summary>One endpoint's effective retry policy: its overrides over the defaults over the built-in values.</summary>
public sealed record RetryPolicy(int ConcurrencyRetries, int TransientRetries, TimeSpan TransientMinBackoff, TimeSpan TransientMaxBackoff)
{
    public static readonly RetryPolicy BuiltIn = new(5, 10, TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(2));

    public static RetryPolicy For(string endpoint, RetryOptions options)
    {
        var defaults = options.Default;
        var own = options.Endpoints.GetValueOrDefault(endpoint) ?? new RetryPolicyOptions();
        return new RetryPolicy(
            own.ConcurrencyRetries ?? defaults.ConcurrencyRetries ?? BuiltIn.ConcurrencyRetries,
            own.TransientRetries ?? defaults.TransientRetries ?? BuiltIn.TransientRetries,
            own.TransientMinBackoff ?? defaults.TransientMinBackoff ?? BuiltIn.TransientMinBackoff,
            own.TransientMaxBackoff ?? defaults.TransientMaxBackoff ?? BuiltIn.TransientMaxBackoff);
    }

    /// <summary>The waits between back-off retries: doubling from the minimum, never above the maximum.</summary>
    public IEnumerable<TimeSpan> Backoffs() =>
        Enumerable.Range(0, TransientRetries)
            .Select(i => TimeSpan.FromTicks(Math.Min(TransientMaxBackoff.Ticks, TransientMinBackoff.Ticks * (1L << Math.Min(i, 30)))));

    /// <summary>Every problem with the values, each naming its setting.</summary>
    public IEnumerable<string> Problems(string setting)
    {
        if (ConcurrencyRetries is < 0 or > 100)
            yield return $"{setting}:ConcurrencyRetries must be from 0 to 100, not {ConcurrencyRetries}.";
        if (TransientRetries is < 0 or > 100)
            yield return $"{setting}:TransientRetries must be from 0 to 100, not {TransientRetries}.";
        if (TransientMinBackoff <= TimeSpan.Zero)
            yield return $"{setting}:TransientMinBackoff must be more than 0, not {TransientMinBackoff}.";
        if (TransientMaxBackoff < TransientMinBackoff)
            yield return $"{setting}:TransientMaxBackoff must be at least TransientMinBackoff ({TransientMinBackoff}), not {TransientMaxBackoff}.";
    }
}
