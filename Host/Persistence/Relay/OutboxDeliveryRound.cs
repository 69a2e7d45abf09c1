using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SagaEngine.Host.Persistence.Outbox;

namespace SagaEngine.Host.Persistence.Relay;

/// <summary>
/// One round of the relay, in one transaction: claim the first pending message of up to
/// <see cref="OutboxOptions.BatchSize"/> ordering keys, deliver every pending message of those keys in
/// sequence order, mark them delivered, commit. A crash before the commit delivers them again later:
/// at least once, never out of order within a key.
/// </summary>
public class OutboxDeliveryRound(
    SagaEngineDbContext db, ConfiguredDatabase database, IOutboxTransport transport, OutboxMetrics metrics, TimeProvider clock,
    ILogger<OutboxDeliveryRound> logger)
{
    // Only a key's first pending message is claimable, so another relay can take no message of a key
    // this round holds. A message scheduled for later is not pending for this rule until it is due: it
    // must not hold back its key's messages written after it. PostgreSQL's row lock keeps claimed keys apart while this transaction runs;
    // SQLite's transactions take the database's single write lock, which keeps whole rounds apart.
    const string ClaimSql =
        $"""
         WITH heads AS (
             SELECT o."OrderingKey" FROM {OutboxMessageMap.Table} AS o
             WHERE o."DeliveredAt" IS NULL AND (o."DueAt" IS NULL OR o."DueAt" <= {"{1}"})
               AND NOT EXISTS (SELECT 1 FROM {OutboxMessageMap.Table} AS e
                               WHERE e."OrderingKey" = o."OrderingKey" AND e."Sequence" < o."Sequence" AND e."DeliveredAt" IS NULL
                                 AND (e."DueAt" IS NULL OR e."DueAt" <= {"{1}"}))
             ORDER BY o."Sequence"
             LIMIT {"{0}"}{"{2}"})
         SELECT m.* FROM {OutboxMessageMap.Table} AS m
         WHERE m."OrderingKey" IN (SELECT "OrderingKey" FROM heads)
           AND m."DeliveredAt" IS NULL AND (m."DueAt" IS NULL OR m."DueAt" <= {"{1}"})
         ORDER BY m."Sequence"
         """;

    const string PostgresLock = " FOR UPDATE OF o SKIP LOCKED";

    /// <summary>How many messages were delivered, and whether more keys may be waiting for the next round at once.</summary>
    public async Task<(int Delivered, bool Full)> Run(int batchSize, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // The claimed keys' heads and every due message behind them, in one statement.
        var sql = ClaimSql.Replace("{2}", database.Provider == DatabaseProvider.Postgres ? PostgresLock : "", StringComparison.Ordinal);
        var now = clock.GetUtcNow().UtcDateTime;
        var pending = await db.Set<OutboxMessage>().FromSqlRaw(sql, batchSize, now).AsNoTracking().ToListAsync(cancellationToken);
        if (pending.Count == 0)
            return (0, false);
        var keys = pending.Select(m => m.OrderingKey).Distinct(StringComparer.Ordinal).Count();

        var delivered = await Deliver(pending, cancellationToken);
        if (delivered.Count > 0)
        {
            // One statement for the whole batch rather than one per row.
            var deliveredAt = clock.GetUtcNow().UtcDateTime;
            await db.Set<OutboxMessage>().Where(m => delivered.Contains(m.Sequence))
                .ExecuteUpdateAsync(u => u.SetProperty(m => m.DeliveredAt, deliveredAt), cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        // A full round that got nothing through (a transport failing) must not spin: wait for the poll.
        return (delivered.Count, keys == batchSize && delivered.Count > 0);
    }

    /// <summary>The sequences of the messages the transport took.</summary>
    async Task<List<long>> Deliver(List<OutboxMessage> pending, CancellationToken cancellationToken)
    {
        var spans = new Activity?[pending.Count];
        var deliveries = new List<OutboxDelivery>(pending.Count);
        for (var i = 0; i < pending.Count; i++)
            deliveries.Add(ToDelivery(pending[i], out spans[i]));

        IReadOnlyList<bool> accepted;
        try
        {
            accepted = await transport.Deliver(deliveries, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "The transport refused a batch of {Count} outbox messages; retrying later", pending.Count);
            foreach (var span in spans)
                OutboxTracing.Delivered(span, accepted: false);
            return [];
        }
        catch (OperationCanceledException)
        {
            foreach (var span in spans)
                OutboxTracing.Delivered(span, accepted: false);
            throw;
        }

        for (var i = 0; i < pending.Count; i++)
            OutboxTracing.Delivered(spans[i], accepted[i]);

        // A key's messages count as delivered only up to its first refusal: the rest wait behind it
        // (and any that got through after it are sent again, which receivers' inboxes absorb).
        var now = clock.GetUtcNow().UtcDateTime;
        var blocked = new HashSet<string>(StringComparer.Ordinal);
        var delivered = new List<long>(pending.Count);
        for (var i = 0; i < pending.Count; i++)
        {
            var message = pending[i];
            if (blocked.Contains(message.OrderingKey))
                continue;
            if (!accepted[i])
            {
                blocked.Add(message.OrderingKey);
                logger.LogError("Outbox message {Sequence} ({MessageType}, key {OrderingKey}) could not be delivered; retrying later",
                    message.Sequence, message.MessageType, message.OrderingKey);
                continue;
            }
            metrics.RecordRelayDelay(now - (message.DueAt ?? message.CreatedAt));
            delivered.Add(message.Sequence);
        }
        return delivered;
    }

    static OutboxDelivery ToDelivery(OutboxMessage m, out Activity? span)
    {
        var headers = JsonSerializer.Deserialize<Dictionary<string, string>>(m.Headers) ?? [];
        span = OutboxTracing.StartDelivery(m.Sequence, m.MessageId, m.MessageType, headers);
        return new OutboxDelivery(
            m.MessageId,
            m.MessageType.Split(';', StringSplitOptions.RemoveEmptyEntries),
            m.Destination is null ? null : new Uri(m.Destination),
            m.OrderingKey,
            headers,
            m.Body,
            m.CreatedAt,
            m.SchemaVersion);
    }
}
