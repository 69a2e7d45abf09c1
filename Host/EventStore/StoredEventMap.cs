using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SagaEngine.Host.EventStore;

public class StoredEventMap : IEntityTypeConfiguration<StoredEvent>
{
    public const string Table = "events";

    /// <summary>Stream versions are unique: the index that turns a concurrent append into a conflict.</summary>
    public const string StreamVersionIndex = "IX_events_stream_version";

    public void Configure(EntityTypeBuilder<StoredEvent> b)
    {
        b.ToTable(Table);
        b.HasKey(x => x.Position);
        b.Property(x => x.Position).ValueGeneratedOnAdd();
        b.Property(x => x.Category).HasMaxLength(50);
        b.Property(x => x.StreamId).HasMaxLength(200);
        b.Property(x => x.Type).HasMaxLength(200);
        b.Property(x => x.TraceParent).HasMaxLength(64);
        // One index serves a stream's reads in version order, a category's streams in order (rebuilds,
        // checks), and the uniqueness of stream versions.
        b.HasIndex(x => new { x.Category, x.StreamId, x.Version }, StreamVersionIndex).IsUnique();
    }
}
