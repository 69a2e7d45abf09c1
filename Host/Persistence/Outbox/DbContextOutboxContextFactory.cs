using MassTransit;
using MassTransit.Middleware;
using Microsoft.EntityFrameworkCore;
using SagaEngine.Host.Persistence.Inbox;
using SagaEngine.Host.Persistence.Writes;

namespace SagaEngine.Host.Persistence.Outbox;

/// <summary>
/// Runs one consumed message in one transaction on the scope's DbContext: the inbox row, the
/// consumer's (or saga's) changes and the messages it sent all commit together, or none of them do.
/// Nothing leaves the process here; the relay delivers the outbox rows once they are committed.
/// </summary>
public class DbContextOutboxContextFactory(DbContext db, OutboxWriter writer, CommitBatch batch, IServiceProvider provider, TimeProvider clock)
    : IOutboxContextFactory<DbContext>
{
    /// <summary>Both providers accept the syntax: a row already there is left as it is, and nothing is counted.</summary>
    const string RecordInInbox =
        $"INSERT INTO {InboxMessageMap.Table} (\"MessageId\", \"Consumer\", \"ReceivedAt\") VALUES ({{0}}, {{1}}, {{2}}) ON CONFLICT DO NOTHING";

    public async Task Send<T>(ConsumeContext<T> context, OutboxConsumeOptions options, IPipe<OutboxConsumeContext<T>> next)
        where T : class
    {
        var messageId = context.MessageId
                        ?? throw new MessageException(typeof(T), "The transactional outbox needs a message id to recognise redeliveries.");
        var consumer = $"{context.ReceiveContext.InputAddress.AbsolutePath.Trim('/')}/{options.ConsumerType}";
        var cancellationToken = context.CancellationToken;

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // A failed save fails the whole message, and the transaction is rolled back with it, so EF's savepoint
        // around every SaveChanges inside it (a SAVEPOINT and a RELEASE, about 5% of the host's CPU under load)
        // buys nothing here; the saga's insert, whose failure the transaction survives, sets its own.
        db.Database.AutoSavepointsEnabled = false;
        try
        {
            await Consume(context, options, next, messageId, consumer, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            db.Database.AutoSavepointsEnabled = true;
        }
    }

    async Task Consume<T>(ConsumeContext<T> context, OutboxConsumeOptions options, IPipe<OutboxConsumeContext<T>> next, Guid messageId,
        string consumer, CancellationToken cancellationToken)
        where T : class
    {
        // Written before the consumer runs, in one statement that also tells whether it was there: a
        // concurrent delivery of the same message waits on the key (PostgreSQL) or the write lock
        // (SQLite) until this transaction ends, then finds it there (committed) or inserts it (rolled back).
        var consumed = await db.Database.ExecuteSqlRawAsync(RecordInInbox,
            [messageId, consumer, clock.GetUtcNow().UtcDateTime], cancellationToken) == 0;

        await next.Send(new DbContextOutboxConsumeContext<T>(context, options, provider, db, writer, consumed));

        // What the consumer left unsaved goes with the COMMIT where plain statements can write it, rather than
        // in a round trip of its own before it.
        if (!batch.HoldTrackedChanges(db))
            await db.SaveChangesAsync(cancellationToken);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("outboxContextFactory").Add("provider", "dbContext");
}
