using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SagaEngine.Host.Persistence.Inbox;

public class InboxMessageMap : IEntityTypeConfiguration<InboxMessage>
{
    public const string Table = "inbox_messages";

    public void Configure(EntityTypeBuilder<InboxMessage> b)
    {
        b.ToTable(Table);
        // The key is the deduplication: a second transaction for the same message and consumer cannot commit.
        b.HasKey(x => new { x.MessageId, x.Consumer });
        b.Property(x => x.Consumer).HasMaxLength(256);
        b.HasIndex(x => x.ReceivedAt);
    }
}
