using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SagaEngine.Host.Kafka.DeadLetters;

public sealed class DeadLetterMap : IEntityTypeConfiguration<DeadLetter>
{
    public void Configure(EntityTypeBuilder<DeadLetter> entity)
    {
        entity.ToTable("dead_letters");
        entity.HasKey(d => d.Id);
        entity.Property(d => d.Id).ValueGeneratedOnAdd();
        entity.Property(d => d.Endpoint).HasMaxLength(200);
        entity.Property(d => d.Group).HasMaxLength(255);
        entity.Property(d => d.Topic).HasMaxLength(249);
        entity.Property(d => d.DeadLetterTopic).HasMaxLength(249);
        entity.Property(d => d.Fault).HasMaxLength(32);
        entity.Property(d => d.ExceptionType).HasMaxLength(500);
        // A record dead-lettered again (its offset was not stored before a crash) is the same dead letter.
        entity.HasIndex(d => new { d.Group, d.Topic, d.Partition, d.Offset }).IsUnique();
        entity.HasIndex(d => new { d.Topic, d.Group, d.Id });
    }
}
