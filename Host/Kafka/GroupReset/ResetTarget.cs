using System.Globalization;

namespace SagaEngine.Host.Kafka.GroupReset;

/// <summary>Where a consumer-group reset moves the group: the oldest retained record, the end, or the first record at or after a time.</summary>
public abstract record ResetTarget
{
    public sealed record Earliest : ResetTarget;

    public sealed record Latest : ResetTarget;

    public sealed record AtTime(DateTime Utc) : ResetTarget;

    /// <summary>"earliest", "latest" or an ISO 8601 time (without an offset it is read as UTC); null for anything else.</summary>
    public static ResetTarget? Parse(string? value)
    {
        if (string.Equals(value, "earliest", StringComparison.OrdinalIgnoreCase))
            return new Earliest();
        if (string.Equals(value, "latest", StringComparison.OrdinalIgnoreCase))
            return new Latest();
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
               && value!.Length >= 10 && char.IsDigit(value[0])
            ? new AtTime(time.UtcDateTime)
            : null;
    }

    /// <summary>As an operator would write it: <c>earliest</c>, <c>latest</c> or the time in ISO 8601 (UTC).</summary>
    public string Text => this switch
    {
        Earliest => "earliest",
        Latest => "latest",
        AtTime t => t.Utc.ToString("O", CultureInfo.InvariantCulture),
        _ => GetType().Name
    };
}
