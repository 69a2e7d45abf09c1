using Confluent.Kafka;
using Microsoft.EntityFrameworkCore;
using SagaEngine.Host.Kafka.DeadLetters;

namespace SagaEngine.Host.Kafka.Parking;

/// <summary>
/// Keeps parked keys and records in the host's database through whatever <see cref="DbContext"/> the host
/// registers; <see cref="ParkedKeyMap"/> and <see cref="ParkedRecordMap"/> beside it give the tables.
/// </summary>
public sealed class DbContextKeyParkingStore(IServiceScopeFactory scopes, TimeProvider clock) : IKeyParkingStore
{
    const int MaxErrorLength = 2000;

    public async Task<IReadOnlyList<ParkedKeyState>> Keys(ParkingPartition partition, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await KeysOf(Db(scope), partition).AsNoTracking()
            .OrderBy(k => k.Id)
            .Select(k => new ParkedKeyState(k.Key, k.Attempts, k.RetryAt))
            .ToListAsync(cancellationToken);
    }

    public async Task Park(ParkingPartition partition, string endpoint, ConsumeResult<string, byte[]> record, int attempts, DateTime? retryAt,
        string error, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = Db(scope);
        var now = Now();
        var key = record.Message.Key;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var parked = await KeysOf(db, partition).SingleOrDefaultAsync(k => k.Key == key, cancellationToken);
        if (parked is null)
        {
            parked = new ParkedKey
            {
                Endpoint = endpoint, Group = partition.Group, Topic = partition.Topic, Partition = partition.Partition, Key = key, ParkedAt = now
            };
            db.Add(parked);
        }
        parked.Attempts = attempts;
        parked.RetryAt = retryAt;
        parked.HeldBy = retryAt is null ? record.Offset.Value : null;
        parked.LastError = Trim(error);
        // Held behind a dead letter, the record itself is there, not here.
        if (retryAt is not null && !await RecordsOf(db, partition).AnyAsync(r => r.Offset == record.Offset.Value, cancellationToken))
            db.Add(Row(partition, record, now));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task Append(ParkingPartition partition, ConsumeResult<string, byte[]> record, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = Db(scope);
        var offset = record.Offset.Value;
        if (await RecordsOf(db, partition).AnyAsync(r => r.Offset == offset, cancellationToken)
            // The dead letter the key is held behind, read again after a restart that came before its offset was committed.
            || await KeysOf(db, partition).AnyAsync(k => k.Key == record.Message.Key && k.HeldBy == offset, cancellationToken))
            return;
        db.Add(Row(partition, record, Now()));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Parked meanwhile by the partition's previous owner, which had not stopped yet; anything else is a real failure.
            db.ChangeTracker.Clear();
            if (!await RecordsOf(db, partition).AnyAsync(r => r.Offset == record.Offset.Value, cancellationToken))
                throw;
        }
    }

    public async Task<ConsumeResult<string, byte[]>?> First(ParkingPartition partition, string key, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var row = await RecordsOf(Db(scope), partition).AsNoTracking()
            .Where(r => r.Key == key).OrderBy(r => r.Offset).FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : Record(row);
    }

    public async Task Done(ParkingPartition partition, string key, long offset, CancellationToken cancellationToken)
    {
        var now = Now();
        await InTransaction(async db =>
        {
            await RecordsOf(db, partition).Where(r => r.Offset == offset).ExecuteDeleteAsync(cancellationToken);
            await KeysOf(db, partition).Where(k => k.Key == key).ExecuteUpdateAsync(s => s
                .SetProperty(k => k.Attempts, 0)
                .SetProperty(k => k.RetryAt, now)
                .SetProperty(k => k.LastError, (string?)null), cancellationToken);
        }, cancellationToken);
    }

    public async Task Failed(ParkingPartition partition, string key, int attempts, DateTime retryAt, string error,
        CancellationToken cancellationToken)
    {
        var trimmed = Trim(error);
        await InTransaction(db => KeysOf(db, partition).Where(k => k.Key == key).ExecuteUpdateAsync(s => s
            .SetProperty(k => k.Attempts, attempts)
            .SetProperty(k => k.RetryAt, retryAt)
            .SetProperty(k => k.LastError, trimmed), cancellationToken), cancellationToken);
    }

    public async Task DeadLettered(ParkingPartition partition, string key, long offset, int attempts, string error,
        CancellationToken cancellationToken)
    {
        var trimmed = Trim(error);
        await InTransaction(async db =>
        {
            await RecordsOf(db, partition).Where(r => r.Offset == offset).ExecuteDeleteAsync(cancellationToken);
            await KeysOf(db, partition).Where(k => k.Key == key).ExecuteUpdateAsync(s => s
                .SetProperty(k => k.Attempts, attempts)
                .SetProperty(k => k.RetryAt, (DateTime?)null)
                .SetProperty(k => k.HeldBy, offset)
                .SetProperty(k => k.LastError, trimmed), cancellationToken);
        }, cancellationToken);
    }

    public async Task<bool> Unpark(ParkingPartition partition, string key, CancellationToken cancellationToken)
    {
        var unparked = false;
        await InTransaction(async db =>
        {
            var records = RecordsOf(db, partition);
            await KeysOf(db, partition).Where(k => k.Key == key && !records.Any(r => r.Key == key)).ExecuteDeleteAsync(cancellationToken);
            unparked = !await records.AnyAsync(r => r.Key == key, cancellationToken);
        }, cancellationToken);
        return unparked;
    }

    /// <summary>In an explicit transaction, which on SQLite takes its turn to write with the host's others.</summary>
    async Task InTransaction(Func<DbContext, Task> work, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = Db(scope);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await work(db);
        await transaction.CommitAsync(cancellationToken);
    }

    static DbContext Db(AsyncServiceScope scope) => scope.ServiceProvider.GetRequiredService<DbContext>();

    static IQueryable<ParkedKey> KeysOf(DbContext db, ParkingPartition p) =>
        db.Set<ParkedKey>().Where(k => k.Group == p.Group && k.Topic == p.Topic && k.Partition == p.Partition);

    static IQueryable<ParkedRecord> RecordsOf(DbContext db, ParkingPartition p) =>
        db.Set<ParkedRecord>().Where(r => r.Group == p.Group && r.Topic == p.Topic && r.Partition == p.Partition);

    static ParkedRecord Row(ParkingPartition partition, ConsumeResult<string, byte[]> record, DateTime now) => new()
    {
        Group = partition.Group,
        Topic = partition.Topic,
        Partition = partition.Partition,
        Offset = record.Offset.Value,
        Key = record.Message.Key,
        Headers = DeadLetterRecordHeaders.Serialize(DeadLetterRecordHeaders.From(record.Message.Headers)),
        Body = record.Message.Value,
        ParkedAt = now
    };

    /// <summary>The record as it was read from its partition, for the endpoint to process as any other.</summary>
    public static ConsumeResult<string, byte[]> Record(ParkedRecord row) => new()
    {
        TopicPartitionOffset = new TopicPartitionOffset(row.Topic, row.Partition, row.Offset),
        Message = new Message<string, byte[]>
        {
            Key = row.Key, Value = row.Body!, Headers = DeadLetterRecordHeaders.ToKafka(DeadLetterRecordHeaders.Deserialize(row.Headers))
        }
    };

    DateTime Now()
    {
        // PostgreSQL keeps microseconds: what is read back is then what was written.
        var now = clock.GetUtcNow().UtcDateTime;
        return now.AddTicks(-(now.Ticks % 10));
    }

    static string Trim(string error) => error.Length <= MaxErrorLength ? error : error[..MaxErrorLength];
}
