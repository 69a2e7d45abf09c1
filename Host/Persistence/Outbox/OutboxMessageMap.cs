using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SagaEngine.Host.Persistence.Outbox;

public class OutboxMessageMap : IEntityTypeConfiguration<OutboxMessage>
{
    public const string Table = "outbox_messages";

    /// <summary>Both providers accept a double-quoted identifier, so the relay's SQL and these filters are shared.</summary>
    public const string Pending = "\"DeliveredAt\" IS NULL";

    public const string Parked = "\"ParkedAt\" IS NOT NULL";

    public const int MaxErrorLength = 2000;

    public void Configure(EntityTypeBuilder<OutboxMessage> b)
    {
        b.ToTable(Table);
        b.HasKey(x => x.Sequence);
        b.Property(x => x.Sequence).ValueGeneratedOnAdd();
        b.Property(x => x.MessageType).HasMaxLength(1000);
        b.Property(x => x.Destination).HasMaxLength(500);
        b.Property(x => x.OrderingKey).HasMaxLength(100);
        b.Property(x => x.LastError).HasMaxLength(MaxErrorLength);
        b.Property(x => x.SchemaVersion).HasDefaultValue(1);

        // The relay reads only pending rows: in sequence order, and per key to find each key's first.
        b.HasIndex(x => x.Sequence, "IX_outbox_messages_pending").HasFilter(Pending);
        b.HasIndex(x => new { x.OrderingKey, x.Sequence }, "IX_outbox_messages_pending_by_key").HasFilter(Pending);
        // Scheduled rows by due time: the status counts what waits for its time apart from what lags.
        b.HasIndex(x => x.DueAt, "IX_outbox_messages_scheduled").HasFilter(Pending);
        // Cancelling a scheduled message looks it up by its token.
        b.HasIndex(x => x.ScheduleToken, "IX_outbox_messages_schedule_token").HasFilter(Pending);
        // Clean-up removes delivered rows by age.
        b.HasIndex(x => x.DeliveredAt);
        // GET /outbox/parked, newest first.
        b.HasIndex(x => x.Sequence, "IX_outbox_messages_parked").HasFilter(Parked);
    }
}
