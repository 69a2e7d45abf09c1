namespace SagaEngine.Consumers.Projections.OrderStats;

/// <summary>One minute (UTC) of the order-stats read model: orders submitted, confirmed and cancelled in it.</summary>
public sealed record OrderStatsMinute
{
    public DateTime Minute { get; init; }

    public long Submitted { get; init; }

    public long Confirmed { get; init; }

    public long Cancelled { get; init; }

    public int Revision { get; init; }
}

/// <summary>Orders cancelled in one minute for one reason.</summary>
public sealed record OrderStatsCancellation
{
    public DateTime Minute { get; init; }

    public string Reason { get; init; } = "";

    public long Count { get; init; }

    public int Revision { get; init; }
}

/// <summary>Orders that ended in one minute whose submit-to-end time fell in one <see cref="DurationBuckets"/> bucket.</summary>
public sealed record OrderStatsDuration
{
    public DateTime Minute { get; init; }

    public int Bucket { get; init; }

    public long Count { get; init; }

    public int Revision { get; init; }
}

/// <summary>What order-stats keeps per order until it ends: when it was submitted.</summary>
public sealed record StatsOrder(DateTime SubmittedAt);
