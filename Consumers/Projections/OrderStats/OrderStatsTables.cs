using Microsoft.EntityFrameworkCore;
using SagaEngine.Host.Persistence;
using SagaEngine.Host.Projections.Storage;

namespace SagaEngine.Consumers.Projections.OrderStats;

/// <summary>
/// <c>order_stats_minutes</c>, <c>order_stats_cancellations</c> and <c>order_stats_durations</c>, blue and
/// green: counts per minute, cancellations per minute and reason, submit-to-end times per minute and bucket.
/// </summary>
public sealed class OrderStatsTables : IModelMapping
{
    public const string Minutes = "order_stats_minutes";
    public const string Cancellations = "order_stats_cancellations";
    public const string Durations = "order_stats_durations";

    public void Configure(ModelBuilder model)
    {
        SlottedTables.Map<OrderStatsMinute>(model, Minutes, b =>
        {
            b.HasKey(x => x.Minute);
            b.Property(x => x.Revision).IsConcurrencyToken();
        });
        SlottedTables.Map<OrderStatsCancellation>(model, Cancellations, b =>
        {
            b.HasKey(x => new { x.Minute, x.Reason });
            b.Property(x => x.Reason).HasMaxLength(64);
            b.Property(x => x.Revision).IsConcurrencyToken();
        });
        SlottedTables.Map<OrderStatsDuration>(model, Durations, b =>
        {
            b.HasKey(x => new { x.Minute, x.Bucket });
            b.Property(x => x.Revision).IsConcurrencyToken();
        });
    }
}
