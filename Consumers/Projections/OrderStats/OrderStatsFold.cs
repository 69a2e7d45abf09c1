using SagaEngine.Contracts;

namespace SagaEngine.Consumers.Projections.OrderStats;

/// <summary>
/// What one order's events add to the order statistics, as a pure function: a submission counts in the
/// minute it was submitted; a confirmation or cancellation (with its reason) in the minute it happened,
/// with the time from submission to it.
/// </summary>
public static class OrderStatsFold
{
    public static (StatsOrder? Order, StatsDelta Delta) Apply(StatsOrder? order, object @event, DateTime at) => @event switch
    {
        OrderSubmitted e => (new StatsOrder(e.SubmittedAt), new StatsDelta(MinuteOf(e.SubmittedAt), Submitted: 1)),
        OrderConfirmed => (null, Ended(order, at) with { Confirmed = 1 }),
        OrderCancelled e => (null, Ended(order, at) with { Cancelled = 1, Reason = e.Reason }),
        _ => (order, StatsDelta.None)
    };

    public static DateTime MinuteOf(DateTime at) => new(at.Ticks - at.Ticks % TimeSpan.TicksPerMinute, DateTimeKind.Utc);

    /// <summary>An order whose submission was never seen (given up after a gap) counts as ended, without a duration.</summary>
    static StatsDelta Ended(StatsOrder? order, DateTime at) =>
        new(MinuteOf(at), DurationBucket: order is null ? null : DurationBuckets.Of(at - order.SubmittedAt));
}

/// <summary>What one event adds to one minute.</summary>
public sealed record StatsDelta(DateTime Minute, long Submitted = 0, long Confirmed = 0, long Cancelled = 0, string? Reason = null, int? DurationBucket = null)
{
    public static readonly StatsDelta None = new(DateTime.MinValue);

    public bool IsEmpty => Submitted == 0 && Confirmed == 0 && Cancelled == 0;
}
