using Microsoft.EntityFrameworkCore;

namespace SagaEngine.Host.Kafka.DeadLetters;

/// <summary>
/// Keeps dead letters in the host's database through whatever <see cref="DbContext"/> the host
/// registers; the <see cref="DeadLetterMap"/> beside it gives the table.
/// </summary>
public sealed class DbContextDeadLetterStore(IServiceScopeFactory scopes) : IDeadLetterStore
{
    public async Task Add(DeadLetter deadLetter, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DbContext>();
        if (await Find(db, deadLetter, cancellationToken) is { } existing)
        {
            // Replayed (or discarded) and dead-lettered again: the row stands for this time, open to be replayed again.
            if (existing.ReplayedAt is null && existing.DiscardedAt is null)
                return;
            Reopen(existing, deadLetter);
            await db.SaveChangesAsync(cancellationToken);
            return;
        }

        db.Add(deadLetter);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another member of the group may have written it first; anything else is a real failure.
            if (!await Exists(db, deadLetter, cancellationToken))
                throw;
        }
    }

    static Task<bool> Exists(DbContext db, DeadLetter d, CancellationToken cancellationToken) =>
        db.Set<DeadLetter>().AnyAsync(x => x.Group == d.Group && x.Topic == d.Topic && x.Partition == d.Partition && x.Offset == d.Offset,
            cancellationToken);

    static Task<DeadLetter?> Find(DbContext db, DeadLetter d, CancellationToken cancellationToken) =>
        db.Set<DeadLetter>().SingleOrDefaultAsync(x => x.Group == d.Group && x.Topic == d.Topic && x.Partition == d.Partition && x.Offset == d.Offset,
            cancellationToken);

    static void Reopen(DeadLetter row, DeadLetter again)
    {
        row.Endpoint = again.Endpoint;
        row.Fault = again.Fault;
        row.ExceptionType = again.ExceptionType;
        row.Reason = again.Reason;
        row.Attempts = again.Attempts;
        row.DeadLetteredAt = again.DeadLetteredAt;
        row.DeadLetterTopic = again.DeadLetterTopic;
        row.DeadLetterPartition = again.DeadLetterPartition;
        row.DeadLetterOffset = again.DeadLetterOffset;
        row.ReplayedAt = null;
        row.DiscardedAt = null;
    }
}
