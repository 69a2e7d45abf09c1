using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SagaEngine.Host.Kafka.Parking;

public sealed class ParkedKeyMap : IEntityTypeConfiguration<ParkedKey>
{
    public void Configure(EntityTypeBuilder<ParkedKey> entity)
    {
        entity.ToTable("parked_keys");
        entity.HasKey(k => k.Id);
        entity.Property(k => k.Id).ValueGeneratedOnAdd();
        entity.Property(k => k.Endpoint).HasMaxLength(200);
        entity.Property(k => k.Group).HasMaxLength(255);
        entity.Property(k => k.Topic).HasMaxLength(249);
        entity.Property(k => k.LastError).HasMaxLength(2000);
        // One row per key and partition of a group; the partition's owner reads them all when it starts.
        entity.HasIndex(k => new { k.Group, k.Topic, k.Partition, k.Key }).IsUnique();
    }
}
