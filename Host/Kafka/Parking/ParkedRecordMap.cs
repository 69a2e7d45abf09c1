using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SagaEngine.Host.Kafka.Parking;

public sealed class ParkedRecordMap : IEntityTypeConfiguration<ParkedRecord>
{
    public void Configure(EntityTypeBuilder<ParkedRecord> entity)
    {
        entity.ToTable("parked_records");
        entity.HasKey(r => r.Id);
        entity.Property(r => r.Id).ValueGeneratedOnAdd();
        entity.Property(r => r.Group).HasMaxLength(255);
        entity.Property(r => r.Topic).HasMaxLength(249);
        // A record parked again (its offset was not committed before a crash) is the same record.
        entity.HasIndex(r => new { r.Group, r.Topic, r.Partition, r.Offset }).IsUnique();
        // A key's records in offset order.
        entity.HasIndex(r => new { r.Group, r.Topic, r.Partition, r.Key, r.Offset });
    }
}
