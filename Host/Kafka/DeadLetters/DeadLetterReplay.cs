using Confluent.Kafka;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SagaEngine.Host.Kafka.Configuration;
using SagaEngine.Host.Kafka.Producing;

namespace SagaEngine.Host.Kafka.DeadLetters;

/// <summary>
/// Produces a dead letter back to its original topic, with its own key, headers and body (the
/// dead-letter headers were never part of the stored ones), at most once: the row is claimed by
/// setting its replay time in one conditional update, and released again if the produce fails.
/// </summary>
public sealed class DeadLetterReplay(DbContext db, IKafkaProducer producer, TimeProvider clock, IOptions<KafkaOptions> options)
{
    public async Task<ReplayOutcome> Replay(long id, CancellationToken cancellationToken)
    {
        var letter = await db.Set<DeadLetter>().AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (letter is null)
            return new ReplayOutcome(ReplayResult.NotFound, null, null);

        // PostgreSQL keeps microseconds: the time answered is then the time stored.
        var now = clock.GetUtcNow().UtcDateTime;
        var at = now.AddTicks(-(now.Ticks % 10));
        var claimed = await db.Set<DeadLetter>().Where(d => d.Id == id && d.ReplayedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.ReplayedAt, at), cancellationToken);
        if (claimed == 0)
            return new ReplayOutcome(ReplayResult.AlreadyReplayed, letter, null);

        try
        {
            var message = new Message<string, byte[]>
            {
                Key = letter.Key!, Value = letter.Body!,
                Headers = DeadLetterRecordHeaders.ToKafka(DeadLetterRecordHeaders.Deserialize(letter.Headers))
            };
            // The producer would otherwise wait for an unreachable broker as long as the caller does.
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Value.DeadLetterProduceTimeoutMs);
            var delivered = await producer.ProduceCopy(letter.Topic, message, timeout.Token);
            letter.ReplayedAt = at;
            return new ReplayOutcome(ReplayResult.Replayed, letter, delivered);
        }
        catch (Exception)
        {
            // Not replayed after all: a later request may try again.
            await db.Set<DeadLetter>().Where(d => d.Id == id)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.ReplayedAt, (DateTime?)null), CancellationToken.None);
            throw;
        }
    }
}

public enum ReplayResult
{
    Replayed,
    NotFound,
    AlreadyReplayed
}

/// <param name="Result">Whether it was replayed now, and if not, why.</param>
/// <param name="DeadLetter">The row as it is now; null when there is none.</param>
/// <param name="Delivered">Where the replayed record was acknowledged, when it was.</param>
public sealed record ReplayOutcome(ReplayResult Result, DeadLetter? DeadLetter, TopicPartitionOffset? Delivered);
