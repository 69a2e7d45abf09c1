using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SagaEngine.Host.Persistence.Outbox;

namespace SagaEngine.Host.Persistence.Relay;

/// <summary>
/// One round of the relay, in one transaction: claim the first pending message of up to
/// <see cref="OutboxOptions.BatchSize"/> ordering keys, deliver every pending message of those keys in
/// sequence order, mark them delivered, commit. A crash before the commit delivers them again later:
/// at least once, never out of order within a key. A message the transport refuses is tried again after
/// a back-off and parked after <see cref="OutboxOptions.MaxAttempts"/> refusals; meanwhile it holds back
/// its own key's later messages, and no other key: a key whose first message waits is not claimed.
/// </summary>
public class OutboxDeliveryRound(
    SagaEngineDbContext db, ConfiguredDatabase database, IOutboxTransport transport, OutboxMetrics metrics, TimeProvider clock,
    IOptions<OutboxOptions> options, ILogger<OutboxDeliveryRound> logger)
{
    // Only a key's first pending message is claimable, so another relay can take no message of a key
    // this round holds. A message scheduled for later is not pending for this rule until it is due: it
    // must not hold back its key's messages written after it. A refused message waiting for its retry, or
    // parked, is not claimable, and holds back its key's later ones, so a round's keys are keys that can go.
    // PostgreSQL's row lock keeps claimed keys apart while this transaction runs;
    // SQLite's transactions take the database's single write lock, which keeps whole rounds apart.
    const string ClaimSql =
        $"""
         WITH heads AS (
             SELECT o."OrderingKey" FROM {OutboxMessageMap.Table} AS o
             WHERE o."DeliveredAt" IS NULL AND (o."DueAt" IS NULL OR o."DueAt" <= {"{1}"})
               AND o."ParkedAt" IS NULL AND (o."RetryAt" IS NULL OR o."RetryAt" <= {"{1}"})
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

    /// <summary>The sequences of the messages the transport took; refused ones are noted for their retry, or parked.</summary>
    async Task<List<long>> Deliver(List<OutboxMessage> pending, CancellationToken cancellationToken)
    {
        // A claimed key may still have a message that waits (due before its retry, or parked) behind a
        // scheduled one that fell due: it stops its key here, as it would at the head.
        var now = clock.GetUtcNow().UtcDateTime;
        var blocked = new HashSet<string>(StringComparer.Ordinal);
        var ready = new List<OutboxMessage>(pending.Count);
        foreach (var message in pending)
        {
            if (blocked.Contains(message.OrderingKey))
                continue;
            if (message.ParkedAt is not null || message.RetryAt > now)
                blocked.Add(message.OrderingKey);
            else
                ready.Add(message);
        }
        if (ready.Count == 0)
            return [];

        var spans = new Activity?[ready.Count];
        var deliveries = new List<OutboxDelivery>(ready.Count);
        for (var i = 0; i < ready.Count; i++)
            deliveries.Add(ToDelivery(ready[i], out spans[i]));

        IReadOnlyList<OutboxDeliveryResult> results;
        try
        {
            results = await transport.Deliver(deliveries, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "The transport could not take a batch of {Count} outbox messages; retrying later", ready.Count);
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

        for (var i = 0; i < ready.Count; i++)
            OutboxTracing.Delivered(spans[i], results[i].Outcome == OutboxDeliveryOutcome.Delivered);

        // A key's messages count as delivered only up to its first one not delivered: the rest wait behind
        // it (and any that got through after it are sent again, which receivers' inboxes absorb).
        now = clock.GetUtcNow().UtcDateTime;
        var delivered = new List<long>(ready.Count);
        for (var i = 0; i < ready.Count; i++)
        {
            var message = ready[i];
            if (blocked.Contains(message.OrderingKey))
                continue;
            switch (results[i].Outcome)
            {
                case OutboxDeliveryOutcome.Delivered:
                    metrics.RecordRelayDelay(now - (message.DueAt ?? message.CreatedAt));
                    delivered.Add(message.Sequence);
                    break;
                case OutboxDeliveryOutcome.Refused:
                    blocked.Add(message.OrderingKey);
                    await Refused(message, results[i].Reason ?? "Refused by the transport.", now, cancellationToken);
                    break;
                default:
                    blocked.Add(message.OrderingKey);
                    logger.LogWarning("Outbox message {Sequence} ({MessageType}, key {OrderingKey}) was not taken; retrying later: {Reason}",
                        message.Sequence, message.MessageType, message.OrderingKey, results[i].Reason);
                    break;
            }
        }
        return delivered;
    }

    /// <summary>Counts the refusal: the message is tried again after a back-off, or parked once it has had its attempts.</summary>
    async Task Refused(OutboxMessage message, string reason, DateTime now, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var attempts = message.Attempts + 1;
        var error = reason.Length <= OutboxMessageMap.MaxErrorLength ? reason : reason[..OutboxMessageMap.MaxErrorLength];
        DateTime? parkedAt = attempts >= settings.MaxAttempts ? now : null;
        DateTime? retryAt = parkedAt is null ? now + settings.Backoff(attempts) : null;
        await db.Set<OutboxMessage>().Where(m => m.Sequence == message.Sequence)
            .ExecuteUpdateAsync(u => u
                .SetProperty(m => m.Attempts, attempts)
                .SetProperty(m => m.LastError, error)
                .SetProperty(m => m.RetryAt, retryAt)
                .SetProperty(m => m.ParkedAt, parkedAt), cancellationToken);

        if (parkedAt is null)
            logger.LogError("Outbox message {Sequence} ({MessageType}, key {OrderingKey}) was refused ({Attempts} of {MaxAttempts}); " +
                            "retrying at {RetryAt:O}: {Reason}",
                message.Sequence, message.MessageType, message.OrderingKey, attempts, settings.MaxAttempts, retryAt, reason);
        else
            logger.LogError("Outbox message {Sequence} ({MessageType}, key {OrderingKey}) was refused {Attempts} times and is parked, " +
                            "with its key's later messages behind it; POST /outbox/parked/{Sequence}/retry queues it again: {Reason}",
                message.Sequence, message.MessageType, message.OrderingKey, attempts, message.Sequence, reason);
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
