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
        if (await Exists(db, deadLetter, cancellationToken))
            return;

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
}
