using System.Text;
using Confluent.Kafka;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SagaEngine.Host.Kafka.Configuration;
using SagaEngine.Host.Kafka.Parking;
using SagaEngine.Host.Kafka.Producing;
using SagaEngine.Host.Schemas;

namespace SagaEngine.Host.Kafka.DeadLetters;

/// <summary>
/// Puts a dead letter back, at most once: the row is claimed by setting its replay time in one
/// conditional update, and released again if putting it back fails. A dead letter whose key is held
/// behind it goes back in front of the key's parked records, which then follow it in order (and are
/// upcast, as any record, when they are processed); any other is produced to its original topic with its
/// own key, headers and body (the dead-letter headers were never part of the stored ones). A record of a
/// message the schemas know goes back at the schema version this release writes, under its stable name;
/// one that cannot be upcast goes back as it was, for its endpoint to judge again.
/// </summary>
public sealed class DeadLetterReplay(DbContext db, IKafkaProducer producer, HeldKeys heldKeys, TimeProvider clock,
    IOptions<KafkaOptions> options, IMessageSchemas? schemas = null)
{
    public async Task<ReplayOutcome> Replay(long id, CancellationToken cancellationToken)
    {
        var letter = await db.Set<DeadLetter>().AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (letter is null)
            return new ReplayOutcome(ReplayResult.NotFound, null, null);

        // PostgreSQL keeps microseconds: the time answered is then the time stored.
        var now = clock.GetUtcNow().UtcDateTime;
        var at = now.AddTicks(-(now.Ticks % 10));
        var claimed = await db.Set<DeadLetter>().Where(d => d.Id == id && d.ReplayedAt == null && d.DiscardedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.ReplayedAt, at), cancellationToken);
        if (claimed == 0)
            return new ReplayOutcome(letter.DiscardedAt is null ? ReplayResult.AlreadyReplayed : ReplayResult.AlreadyDiscarded, letter, null);

        try
        {
            if (await heldKeys.Release(letter, withRecord: true, cancellationToken) is { } followers)
            {
                letter.ReplayedAt = at;
                return new ReplayOutcome(ReplayResult.Replayed, letter, new TopicPartitionOffset(letter.Topic, letter.Partition, letter.Offset), followers);
            }

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

    /// <summary>Gives a dead letter up, once, releasing its key's parked records if it held them.</summary>
    public async Task<DiscardOutcome> Discard(long id, CancellationToken cancellationToken)
    {
        var letter = await db.Set<DeadLetter>().AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (letter is null)
            return new DiscardOutcome(ReplayResult.NotFound, null, null);

        var now = clock.GetUtcNow().UtcDateTime;
        var at = now.AddTicks(-(now.Ticks % 10));
        var claimed = await db.Set<DeadLetter>().Where(d => d.Id == id && d.ReplayedAt == null && d.DiscardedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.DiscardedAt, at), cancellationToken);
        if (claimed == 0)
            return new DiscardOutcome(letter.DiscardedAt is null ? ReplayResult.AlreadyReplayed : ReplayResult.AlreadyDiscarded, letter, null);

        int? followers;
        try
        {
            followers = await heldKeys.Release(letter, withRecord: false, cancellationToken);
        }
        catch (Exception)
        {
            // Not discarded after all: its key stays held, and a later request may try again.
            await db.Set<DeadLetter>().Where(d => d.Id == id)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.DiscardedAt, (DateTime?)null), CancellationToken.None);
            throw;
        }
        letter.DiscardedAt = at;
        return new DiscardOutcome(ReplayResult.Discarded, letter, followers);
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
    Discarded,
    NotFound,
    AlreadyReplayed,
    AlreadyDiscarded
}

/// <param name="Result">Whether it was replayed now, and if not, why.</param>
/// <param name="DeadLetter">The row as it is now; null when there is none.</param>
/// <param name="Delivered">Where the replayed record went: its new place in its topic, or its own place when it went back in front of its key's parked records.</param>
/// <param name="ReleasedFollowers">When its key was held behind it: how many of the key's records were parked behind it.</param>
public sealed record ReplayOutcome(ReplayResult Result, DeadLetter? DeadLetter, TopicPartitionOffset? Delivered, int? ReleasedFollowers = null);

/// <param name="Result"><see cref="ReplayResult.Discarded"/> when discarded now; otherwise why not.</param>
/// <param name="DeadLetter">The row as it is now; null when there is none.</param>
/// <param name="ReleasedFollowers">When its key was held behind it: how many of the key's records were parked behind it, now released.</param>
public sealed record DiscardOutcome(ReplayResult Result, DeadLetter? DeadLetter, int? ReleasedFollowers);
