using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SagaEngine.Host.Projections.Storage;

public sealed class ProjectionVersionMap : IEntityTypeConfiguration<ProjectionVersion>
{
    public const string Table = "projection_versions";

    public void Configure(EntityTypeBuilder<ProjectionVersion> b)
    {
        b.ToTable(Table);
        b.HasKey(x => x.Projection);
        b.Property(x => x.Projection).HasMaxLength(100);
        b.Property(x => x.RebuildPhase).HasMaxLength(16);
        b.Property(x => x.LastRebuildOutcome).HasMaxLength(16);
        b.Property(x => x.LastRebuildError).HasMaxLength(2000);
    }
}

public sealed class ProjectionPositionMap : IEntityTypeConfiguration<ProjectionPosition>
{
    public const string Table = "projection_positions";

    public void Configure(EntityTypeBuilder<ProjectionPosition> b)
    {
        b.ToTable(Table);
        b.HasKey(x => new { x.Projection, x.Version, x.Topic, x.Partition });
        b.Property(x => x.Projection).HasMaxLength(100);
        b.Property(x => x.Topic).HasMaxLength(249);
        b.Property(x => x.Revision).IsConcurrencyToken();
    }
}

public sealed class ProjectionKeyMap : IEntityTypeConfiguration<ProjectionKey>
{
    public const string Table = "projection_keys";

    public void Configure(EntityTypeBuilder<ProjectionKey> b)
    {
        b.ToTable(Table);
        b.HasKey(x => new { x.Projection, x.Version, x.Key });
        b.Property(x => x.Projection).HasMaxLength(100);
        b.Property(x => x.Key).HasMaxLength(100);
        b.Property(x => x.Revision).IsConcurrencyToken();
    }
}

public sealed class HeldEventMap : IEntityTypeConfiguration<HeldEvent>
{
    public const string Table = "projection_held_events";

    public void Configure(EntityTypeBuilder<HeldEvent> b)
    {
        b.ToTable(Table);
        b.HasKey(x => new { x.Projection, x.Version, x.Key, x.Sequence });
        b.Property(x => x.Projection).HasMaxLength(100);
        b.Property(x => x.Key).HasMaxLength(100);
        b.Property(x => x.MessageType).HasMaxLength(500);
        b.Property(x => x.Source).HasMaxLength(300);
        // The gap sweep looks for the oldest held events of a version.
        b.HasIndex(x => new { x.Projection, x.Version, x.HeldSince });
    }
}
