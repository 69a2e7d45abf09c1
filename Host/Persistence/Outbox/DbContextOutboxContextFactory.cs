using MassTransit;
using MassTransit.Middleware;
using Microsoft.EntityFrameworkCore;
using SagaEngine.Host.Persistence.Inbox;

namespace SagaEngine.Host.Persistence.Outbox;

/// <summary>
/// Runs one consumed message in one transaction on the scope's DbContext: the inbox row, the
/// consumer's (or saga's) changes and the messages it sent all commit together, or none of them do.
/// Nothing leaves the process here; the relay delivers the outbox rows once they are committed.
/// </summary>
public class DbContextOutboxContextFactory(DbContext db, OutboxWriter writer, IServiceProvider provider, TimeProvider clock)
    : IOutboxContextFactory<DbContext>
{
    public async Task Send<T>(ConsumeContext<T> context, OutboxConsumeOptions options, IPipe<OutboxConsumeContext<T>> next)
        where T : class
    {
        var messageId = context.MessageId
                        ?? throw new MessageException(typeof(T), "The transactional outbox needs a message id to recognise redeliveries.");
        var consumer = $"{context.ReceiveContext.InputAddress.AbsolutePath.Trim('/')}/{options.ConsumerType}";
        var cancellationToken = context.CancellationToken;

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        var consumed = await db.Set<InboxMessage>()
            .AnyAsync(m => m.MessageId == messageId && m.Consumer == consumer, cancellationToken);
        if (!consumed)
        {
            // Written before the consumer runs: a concurrent delivery of the same message collides on
            // the key (PostgreSQL makes it wait for this transaction) instead of running beside it.
            db.Add(new InboxMessage { MessageId = messageId, Consumer = consumer, ReceivedAt = clock.GetUtcNow().UtcDateTime });
            await db.SaveChangesAsync(cancellationToken);
        }

        await next.Send(new DbContextOutboxConsumeContext<T>(context, options, provider, db, writer, consumed));

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("outboxContextFactory").Add("provider", "dbContext");
}
