using Microsoft.EntityFrameworkCore;
using SagaEngine.Host.Projections;
using SagaEngine.Host.Projections.Storage;

namespace SagaEngine.Consumers.Projections.OrderStats;

/// <summary>
/// <c>order-stats</c>: per minute, orders submitted, confirmed and cancelled (by reason) and the
/// submit-to-end p50 and p99, for <c>GET /reports/orders</c>.
/// </summary>
public sealed class OrderStatsProjection : OrderProjection
{
    public const string ProjectionName = "order-stats";

    public override string Name => ProjectionName;

    public override IReadOnlyList<string> Tables { get; } = [OrderStatsTables.Minutes, OrderStatsTables.Cancellations, OrderStatsTables.Durations];

    public override async Task Apply(ProjectionBatch batch, CancellationToken cancellationToken)
    {
        var orders = batch.Keys.ToDictionary(k => k, batch.State<StatsOrder>, StringComparer.Ordinal);
        var minutes = new Dictionary<DateTime, (long Submitted, long Confirmed, long Cancelled)>();
        var reasons = new Dictionary<(DateTime, string), long>();
        var durations = new Dictionary<(DateTime, int), long>();
        foreach (var e in batch.Events)
        {
            var (order, delta) = OrderStatsFold.Apply(orders[e.Key], e.Message, e.OccurredAt);
            orders[e.Key] = order;
            if (delta.IsEmpty)
                continue;
            var (submitted, confirmed, cancelled) = minutes.GetValueOrDefault(delta.Minute);
            minutes[delta.Minute] = (submitted + delta.Submitted, confirmed + delta.Confirmed, cancelled + delta.Cancelled);
            if (delta.Reason is { } reason)
                reasons[(delta.Minute, reason)] = reasons.GetValueOrDefault((delta.Minute, reason)) + 1;
            if (delta.DurationBucket is { } bucket)
                durations[(delta.Minute, bucket)] = durations.GetValueOrDefault((delta.Minute, bucket)) + 1;
        }
        foreach (var (key, order) in orders)
            batch.SetState(key, order);
        if (minutes.Count == 0)
            return;

        var db = batch.Db;
        var touched = minutes.Keys.ToList();
        var minuteRows = db.Rows<OrderStatsMinute>(batch.Slot, OrderStatsTables.Minutes);
        var stored = await minuteRows.Where(m => EF.Parameter(touched).Contains(m.Minute)).ToDictionaryAsync(m => m.Minute, cancellationToken);
        foreach (var (minute, (submitted, confirmed, cancelled)) in minutes)
        {
            if (stored.TryGetValue(minute, out var row))
                db.Entry(row).CurrentValues.SetValues(row with
                {
                    Submitted = row.Submitted + submitted, Confirmed = row.Confirmed + confirmed, Cancelled = row.Cancelled + cancelled,
                    Revision = row.Revision + 1
                });
            else
                minuteRows.Add(new OrderStatsMinute { Minute = minute, Submitted = submitted, Confirmed = confirmed, Cancelled = cancelled });
        }

        if (reasons.Count > 0)
        {
            var reasonRows = db.Rows<OrderStatsCancellation>(batch.Slot, OrderStatsTables.Cancellations);
            var storedReasons = await reasonRows.Where(r => EF.Parameter(touched).Contains(r.Minute)).ToDictionaryAsync(r => (r.Minute, r.Reason), cancellationToken);
            foreach (var ((minute, reason), count) in reasons)
            {
                if (storedReasons.TryGetValue((minute, reason), out var row))
                    db.Entry(row).CurrentValues.SetValues(row with { Count = row.Count + count, Revision = row.Revision + 1 });
                else
                    reasonRows.Add(new OrderStatsCancellation { Minute = minute, Reason = reason, Count = count });
            }
        }

        if (durations.Count > 0)
        {
            var durationRows = db.Rows<OrderStatsDuration>(batch.Slot, OrderStatsTables.Durations);
            var storedDurations = await durationRows.Where(d => EF.Parameter(touched).Contains(d.Minute)).ToDictionaryAsync(d => (d.Minute, d.Bucket), cancellationToken);
            foreach (var ((minute, bucket), count) in durations)
            {
                if (storedDurations.TryGetValue((minute, bucket), out var row))
                    db.Entry(row).CurrentValues.SetValues(row with { Count = row.Count + count, Revision = row.Revision + 1 });
                else
                    durationRows.Add(new OrderStatsDuration { Minute = minute, Bucket = bucket, Count = count });
            }
        }
    }
}
