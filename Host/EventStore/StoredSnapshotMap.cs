using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SagaEngine.Host.EventStore;

public class StoredSnapshotMap : IEntityTypeConfiguration<StoredSnapshot>
{
    public const string Table = "event_snapshots";

    public void Configure(EntityTypeBuilder<StoredSnapshot> b)
    {
        b.ToTable(Table);
        b.HasKey(x => new { x.StreamId, x.Version });
        b.Property(x => x.StreamId).HasMaxLength(200);
        // "The newest snapshot at or before T" is one probe of this index.
        b.HasIndex(x => new { x.StreamId, x.RecordedAt });
    }
}
