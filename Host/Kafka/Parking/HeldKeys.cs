using Microsoft.EntityFrameworkCore;
using SagaEngine.Host.Kafka.DeadLetters;

namespace SagaEngine.Host.Kafka.Parking;

/// <summary>
/// The operator's side of parked keys: which key a dead letter holds and what waits behind it, and
/// releasing it, with the dead-lettered record first (replay) or without it (discard). The partition's
/// owner, in this process or another, then works through the key's records in order.
/// </summary>
public sealed class HeldKeys(DbContext db, TimeProvider clock, ParkedKeySignal signal)
{
    /// <summary>The key of the dead letter's record on its partition while any of it is parked, with its records in order; null otherwise.</summary>
    public async Task<ParkedKeyView?> Of(DeadLetter letter, CancellationToken cancellationToken)
    {
        if (letter.Key is not { } key)
            return null;
        var parked = await Keys(letter).AsNoTracking().SingleOrDefaultAsync(k => k.Key == key, cancellationToken);
        if (parked is null)
            return null;
        var records = await Records(letter).AsNoTracking().Where(r => r.Key == key).OrderBy(r => r.Offset).ToListAsync(cancellationToken);
        return new ParkedKeyView(parked, records);
    }

    /// <summary>
    /// Releases the key the dead letter holds: its parked records are tried again at once, in order, with the
    /// dead letter's record back in front of them when <paramref name="withRecord"/>. Null when the dead letter
    /// holds no key (it was not the reason its key is parked, or it has been released already).
    /// </summary>
    /// <returns>How many records of the key were waiting behind it.</returns>
    public async Task<int?> Release(DeadLetter letter, bool withRecord, CancellationToken cancellationToken)
    {
        if (letter.Key is not { } key)
            return null;
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var released = await Keys(letter).Where(k => k.Key == key && k.HeldBy == letter.Offset)
            .ExecuteUpdateAsync(s => s
                .SetProperty(k => k.HeldBy, (long?)null)
                .SetProperty(k => k.Attempts, 0)
                .SetProperty(k => k.RetryAt, now), cancellationToken);
        if (released == 0)
            return null;

        var waiting = await Records(letter).CountAsync(r => r.Key == key, cancellationToken);
        if (withRecord && !await Records(letter).AnyAsync(r => r.Offset == letter.Offset, cancellationToken))
            db.Add(new ParkedRecord
            {
                Group = letter.Group, Topic = letter.Topic, Partition = letter.Partition, Offset = letter.Offset, Key = key,
                Headers = letter.Headers, Body = letter.Body, ParkedAt = now
            });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        signal.Notify();
        return waiting;
    }

    IQueryable<ParkedKey> Keys(DeadLetter d) =>
        db.Set<ParkedKey>().Where(k => k.Group == d.Group && k.Topic == d.Topic && k.Partition == d.Partition);

    IQueryable<ParkedRecord> Records(DeadLetter d) =>
        db.Set<ParkedRecord>().Where(r => r.Group == d.Group && r.Topic == d.Topic && r.Partition == d.Partition);
}

/// <summary>A parked key as it is now, and its records in the order they will be processed.</summary>
public sealed record ParkedKeyView(ParkedKey Key, IReadOnlyList<ParkedRecord> Records);
