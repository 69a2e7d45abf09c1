using System.Text;
using Confluent.Kafka;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SagaEngine.Host.Kafka.Configuration;
using SagaEngine.Host.Kafka.Producing;
using SagaEngine.Host.Schemas;

namespace SagaEngine.Host.Kafka.DeadLetters;

/// <summary>
/// Produces a dead letter back to its original topic, with its own key, headers and body (the
/// dead-letter headers were never part of the stored ones), at most once: the row is claimed by
/// setting its replay time in one conditional update, and released again if the produce fails.
/// A record of a message the schemas know goes back at the schema version this release writes, under its
/// stable name; one that cannot be upcast goes back as it was, for its endpoint to judge again.
/// </summary>
public sealed class DeadLetterReplay(DbContext db, IKafkaProducer producer, TimeProvider clock, IOptions<KafkaOptions> options,
    IMessageSchemas? schemas = null)
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
            var (headers, body) = Upcast(DeadLetterRecordHeaders.Deserialize(letter.Headers).ToList(), letter.Body);
            var message = new Message<string, byte[]> { Key = letter.Key!, Value = body!, Headers = DeadLetterRecordHeaders.ToKafka(headers) };
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

    (List<DeadLetterRecordHeaders.Header> Headers, byte[]? Body) Upcast(List<DeadLetterRecordHeaders.Header> headers, byte[]? body)
    {
        var messageType = headers.FindLastIndex(h => h.Name.Equals(KafkaMessageHeaders.MessageType, StringComparison.OrdinalIgnoreCase));
        var version = headers.FindLastIndex(h => h.Name.Equals(SchemaVersionHeader.Name, StringComparison.OrdinalIgnoreCase));
        if (schemas is null || body is null || messageType < 0)
            return (headers, body);
        var schema = Encoding.UTF8.GetString(headers[messageType].Value).Split(';').Select(schemas.Find).FirstOrDefault(s => s is not null);
        if (schema is null || SchemaVersionHeader.Parse(version < 0 ? null : Encoding.UTF8.GetString(headers[version].Value)) is not { } from)
            return (headers, body);
        try
        {
            body = schemas.Upcast(schema, from, body);
        }
        catch (SchemaMismatchException)
        {
            return (headers, body);
        }
        headers[messageType] = headers[messageType] with { Value = Encoding.UTF8.GetBytes(schema.Urn) };
        var current = new DeadLetterRecordHeaders.Header(SchemaVersionHeader.Name, Encoding.UTF8.GetBytes(SchemaVersionHeader.Format(schema.Version)));
        if (version < 0)
            headers.Add(current);
        else
            headers[version] = current;
        return (headers, body);
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
