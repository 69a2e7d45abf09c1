namespace SagaEngine.Host.Messaging.Retry;

/// <summary>
/// Settings under <c>Retry</c>: <c>Retry:Default</c> for every endpoint, <c>Retry:Endpoints:&lt;name&gt;</c>
/// to override single values for one endpoint (e.g. <c>Retry:Endpoints:payment:TransientRetries</c>).
/// </summary>
public class RetryOptions
{
    public const string Section = "Retry";

    public RetryPolicyOptions Default { get; set; } = new();

    public Dictionary<string, RetryPolicyOptions> Endpoints { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>How one endpoint retries a failed message inside its partition, before the consume loop sees the failure.</summary>
public class RetryPolicyOptions
{
    /// <summary>Immediate retries after a concurrency conflict (another message changed the same rows first).</summary>
    public int? ConcurrencyRetries { get; set; }

    /// <summary>Retries with exponential back-off after a transient fault (database away, a timeout, a dependency briefly down).</summary>
    public int? TransientRetries { get; set; }

    public TimeSpan? TransientMinBackoff { get; set; }

    public TimeSpan? TransientMaxBackoff { get; set; }
}
