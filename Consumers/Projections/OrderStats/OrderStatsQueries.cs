using Microsoft.EntityFrameworkCore;
using SagaEngine.Host.Projections.Storage;

namespace SagaEngine.Consumers.Projections.OrderStats;

/// <summary>The order statistics of a time range, minute by minute, from the live version's tables.</summary>
public static class OrderStatsQueries
{
    public static async Task<IReadOnlyList<OrderStatsReportMinute>> Report(DbContext db, DateTime from, DateTime to, CancellationToken cancellationToken)
    {
        var slot = await ProjectionVersions.ActiveSlot(db, OrderStatsProjection.ProjectionName, cancellationToken);
        var minutes = await db.Rows<OrderStatsMinute>(slot, OrderStatsTables.Minutes).AsNoTracking()
            .Where(m => m.Minute >= from && m.Minute < to).OrderBy(m => m.Minute).ToListAsync(cancellationToken);
        var reasons = (await db.Rows<OrderStatsCancellation>(slot, OrderStatsTables.Cancellations).AsNoTracking()
            .Where(r => r.Minute >= from && r.Minute < to).ToListAsync(cancellationToken)).ToLookup(r => r.Minute);
        var durations = (await db.Rows<OrderStatsDuration>(slot, OrderStatsTables.Durations).AsNoTracking()
            .Where(d => d.Minute >= from && d.Minute < to).ToListAsync(cancellationToken)).ToLookup(d => d.Minute);

        return minutes.Select(m =>
        {
            var counts = durations[m.Minute].ToDictionary(d => d.Bucket, d => d.Count);
            return new OrderStatsReportMinute(m.Minute, m.Submitted, m.Confirmed, m.Cancelled,
                reasons[m.Minute].OrderBy(r => r.Reason, StringComparer.Ordinal).ToDictionary(r => r.Reason, r => r.Count),
                DurationBuckets.Percentile(counts, 0.50), DurationBuckets.Percentile(counts, 0.99));
        }).ToList();
    }
}

/// <param name="Minute">The minute's start (UTC).</param>
/// <param name="Submitted">Orders submitted in it.</param>
/// <param name="Confirmed">Orders confirmed in it.</param>
/// <param name="Cancelled">Orders cancelled in it.</param>
/// <param name="CancelledByReason">Of those cancelled, how many for each reason.</param>
/// <param name="P50Ms">The median time from submission to confirmation or cancellation of the orders that ended in it (ms, within about 2%); null when none ended.</param>
/// <param name="P99Ms">The 99th percentile of the same times.</param>
public sealed record OrderStatsReportMinute(
    DateTime Minute, long Submitted, long Confirmed, long Cancelled, IReadOnlyDictionary<string, long> CancelledByReason, double? P50Ms, double? P99Ms);
