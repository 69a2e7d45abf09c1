using System.ComponentModel.DataAnnotations;

namespace SagaEngine.Host.Persistence.Relay;

/// <summary>Settings under <c>Outbox</c>: how the relay delivers and how long it keeps what it delivered.</summary>
public class OutboxOptions : IValidatableObject
{
    public const string Section = "Outbox";

    /// <summary>False leaves committed messages pending in the outbox (for another host's relay, or a later start).</summary>
    public bool RelayEnabled { get; set; } = true;

    /// <summary>How often the relay looks for messages when nothing woke it.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many ordering keys one round claims; a full round is followed by the next at once.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>How long delivered messages stay in the outbox, for inspection, before clean-up removes them.</summary>
    public TimeSpan DeliveredRetention { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a processed message is remembered; a redelivery later than this is processed again.</summary>
    public TimeSpan InboxRetention { get; set; } = TimeSpan.FromDays(7);

    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A committed message waiting longer than this makes the host not ready: the relay is stalled.</summary>
    public TimeSpan StallAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many times the transport may refuse a message (no route, too large, unknown topic) before it is parked.</summary>
    public int MaxAttempts { get; set; } = 10;

    /// <summary>The wait after a message's first refusal; it doubles with each further one, up to <see cref="RetryBackoffMax"/>.</summary>
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryBackoffMax { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The wait after a message was refused <paramref name="refusals"/> times.</summary>
    public TimeSpan Backoff(int refusals) =>
        TimeSpan.FromTicks(Math.Min(RetryBackoffMax.Ticks, RetryBackoff.Ticks * (1L << Math.Clamp(refusals - 1, 0, 30))));

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (PollInterval < TimeSpan.FromMilliseconds(10) || PollInterval > TimeSpan.FromMinutes(10))
            yield return Fail(nameof(PollInterval), $"must be from 00:00:00.01 to 00:10:00, not {PollInterval}");
        if (BatchSize is < 1 or > 10_000)
            yield return Fail(nameof(BatchSize), $"must be from 1 to 10000, not {BatchSize}");
        if (DeliveredRetention < TimeSpan.Zero)
            yield return Fail(nameof(DeliveredRetention), $"must not be negative, not {DeliveredRetention}");
        if (InboxRetention < TimeSpan.Zero)
            yield return Fail(nameof(InboxRetention), $"must not be negative, not {InboxRetention}");
        if (StallAfter <= TimeSpan.Zero)
            yield return Fail(nameof(StallAfter), $"must be more than 0, not {StallAfter}");
        if (CleanupInterval < TimeSpan.FromSeconds(1))
            yield return Fail(nameof(CleanupInterval), $"must be at least 00:00:01, not {CleanupInterval}");
        if (MaxAttempts is < 1 or > 1000)
            yield return Fail(nameof(MaxAttempts), $"must be from 1 to 1000, not {MaxAttempts}");
        if (RetryBackoff < TimeSpan.FromMilliseconds(10) || RetryBackoff > TimeSpan.FromHours(1))
            yield return Fail(nameof(RetryBackoff), $"must be from 00:00:00.01 to 01:00:00, not {RetryBackoff}");
        if (RetryBackoffMax < RetryBackoff || RetryBackoffMax > TimeSpan.FromDays(1))
            yield return Fail(nameof(RetryBackoffMax), $"must be from {nameof(RetryBackoff)} ({RetryBackoff}) to 1.00:00:00, not {RetryBackoffMax}");
    }

    static ValidationResult Fail(string setting, string problem) =>
        new($"{Section}:{setting} {problem}.", [$"{Section}:{setting}"]);
}
