using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using SagaEngine.Host.Persistence.Writes;
using SagaEngine.Host.Persistence.Relay;
using SagaEngine.Host.Schemas;

namespace SagaEngine.Host.Persistence.Outbox;

/// <summary>Turns a message a handler sent or published into an outbox row of the handler's DbContext.</summary>
/// <remarks>Each row keeps the schema version its body is written at, from the registered <see cref="IMessageSchemas"/> (1 without one).</remarks>
public class OutboxWriter(
    IBus bus, OutboxCommitWatcher commits, OutboxSignal signal, TimeProvider clock, SentMessages sent, CommitBatch batch,
    IMessageSchemas? schemas = null)
{
    public void Add<T>(DbContext db, SendContext<T> context) where T : class
    {
        var messageId = context.MessageId ?? NewId.NextGuid();
        var now = clock.GetUtcNow().UtcDateTime;
        // The SentTime header below is written from the same value.
        sent.Noted(context.Message, messageId, context.SentTime ?? now);
        var delayed = context.Delay is { } delay && delay > TimeSpan.Zero;
        var row = new OutboxMessage
        {
            MessageId = messageId,
            MessageType = string.Join(";", context.SupportedMessageTypes),
            Destination = IsPublish(context) ? null : context.DestinationAddress?.ToString(),
            OrderingKey = (context.CorrelationId ?? messageId).ToString(),
            Headers = JsonSerializer.Serialize(OutboxHeaders.From(context)),
            Body = JsonSerializer.Serialize(context.Message, OutboxJson.Options),
            SchemaVersion = schemas?.Find(context.Message.GetType())?.Version ?? SchemaVersionHeader.Unversioned,
            CreatedAt = now,
            // A delayed send (MassTransit's delayed scheduler sets Delay) waits in the outbox until due:
            // durable with the transaction that scheduled it, unlike a delay held by a transport or in memory.
            DueAt = delayed ? now + context.Delay : null,
            ScheduleToken = delayed ? context.ScheduledMessageId : null
        };

        // In a transaction the row is held for its commit, a cheaper write than EF's; otherwise EF saves it with
        // the handler's next SaveChanges. A handler may publish from several tasks at once; the DbContext is not thread-safe.
        if (!batch.HoldInsert(db, row))
            lock (db)
                db.Add(row);
        commits.RowAdded(db);
        if (row.DueAt is { } due)
            signal.Scheduled(due);
    }

    /// <summary>Both providers accept it; the table's filtered index on the token serves it.</summary>
    const string DeleteScheduled =
        $"DELETE FROM {OutboxMessageMap.Table} WHERE \"{nameof(OutboxMessage.ScheduleToken)}\" = {{0}} AND \"{nameof(OutboxMessage.DeliveredAt)}\" IS NULL";

    /// <summary>
    /// Removes the scheduled message of <paramref name="token"/>, whether this transaction wrote it or an earlier
    /// one committed it. A row already delivered is left alone: its receiver ignores it by its stale token.
    /// </summary>
    public async Task CancelScheduled(DbContext db, Guid token, CancellationToken cancellationToken)
    {
        batch.Drop<OutboxMessage>(db, row => row.ScheduleToken == token);
        // Only rows that could not be held are tracked unsaved; scanning the tracker (which detects changes
        // first) on every step that cancels a timeout would be work for nothing.
        if (!CommitBatch.Holds(db, typeof(OutboxMessage)))
            lock (db)
                foreach (var added in db.ChangeTracker.Entries<OutboxMessage>()
                             .Where(e => e.State == EntityState.Added && e.Entity.ScheduleToken == token).ToList())
                    added.State = EntityState.Detached;

        // Most saga steps cancel a timeout: the delete goes with the commit's other held writes, not in a round trip
        // of its own. Plain SQL, as the inbox's insert is: a LINQ bulk delete is translated on every call.
        if (!batch.HoldStatement(db, DeleteScheduled, token))
            await db.Database.ExecuteSqlRawAsync(DeleteScheduled, [token], cancellationToken);
    }

    /// <summary>
    /// MassTransit hands the outbox a publish as a send to the message type's publish address; that
    /// address is how a publish is told apart, so that a transport can route it by type instead.
    /// </summary>
    bool IsPublish<T>(SendContext<T> context) where T : class =>
        bus.Topology.TryGetPublishAddress(typeof(T), out var publishAddress) && publishAddress == context.DestinationAddress;
}
