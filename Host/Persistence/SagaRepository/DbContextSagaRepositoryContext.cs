using MassTransit;
using MassTransit.Context;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;
using SagaEngine.Host.Persistence.Writes;

namespace SagaEngine.Host.Persistence.SagaRepository;

/// <summary>
/// Loads, inserts and updates one saga instance through the scope's DbContext. It never commits: every
/// change is written inside the transaction that the outbox (or the factory) owns. Where the saga's mapping
/// allows (see <see cref="RowSql"/>), an instance is read without tracking and its insert or update is held
/// for the commit (<see cref="CommitBatch"/>); otherwise EF tracks it and <c>SaveChangesAsync</c> writes it.
/// </summary>
public class DbContextSagaRepositoryContext<TSaga, TMessage> : ConsumeContextScope<TMessage>, SagaRepositoryContext<TSaga, TMessage>
    where TSaga : class, ISaga
    where TMessage : class
{
    readonly DbContext db;
    readonly ConsumeContext<TMessage> context;
    readonly ISagaConsumeContextFactory<DbContext, TSaga> factory;
    readonly CommitBatch batch;

    /// <summary>Instances read without tracking, with their concurrency token's value as read.</summary>
    readonly Dictionary<TSaga, object?> untracked = new(ReferenceEqualityComparer.Instance);

    public DbContextSagaRepositoryContext(DbContext db, ConsumeContext<TMessage> context, ISagaConsumeContextFactory<DbContext, TSaga> factory,
        CommitBatch batch)
        : base(context, db)
    {
        this.db = db;
        this.context = context;
        this.factory = factory;
        this.batch = batch;
    }

    public Task<SagaConsumeContext<TSaga, TMessage>> Add(TSaga instance) =>
        factory.CreateSagaConsumeContext(db, context, instance, SagaConsumeContextMode.Add);

    public async Task<SagaConsumeContext<TSaga, TMessage>> Insert(TSaga instance)
    {
        var entry = db.Add(instance);
        // The one save a transaction survives failing: it needs EF's savepoint, which the outbox turns off for the rest.
        var savepoints = db.Database.AutoSavepointsEnabled;
        db.Database.AutoSavepointsEnabled = true;
        try
        {
            await db.SaveChangesAsync(CancellationToken);
        }
        catch (DbUpdateException)
        {
            // Someone else created it first. EF rolled back to its savepoint, so the transaction goes
            // on, and the caller falls back to loading the existing instance.
            entry.State = EntityState.Detached;
            return null!;
        }
        finally
        {
            db.Database.AutoSavepointsEnabled = savepoints;
        }
        return await factory.CreateSagaConsumeContext(db, context, instance, SagaConsumeContextMode.Insert);
    }

    public async Task<SagaConsumeContext<TSaga, TMessage>> Load(Guid correlationId)
    {
        var held = CommitBatch.Holds(db, typeof(TSaga));
        var instance = held
            ? await SagaReads<TSaga>.UntrackedById.Run(db, correlationId, CancellationToken)
            : await db.Set<TSaga>().SingleOrDefaultAsync(s => s.CorrelationId == correlationId, CancellationToken);
        if (instance is null)
            return null!;
        if (held)
            untracked[instance] = RowSql.For(db.Model, typeof(TSaga))!.Token(instance);
        return await factory.CreateSagaConsumeContext(db, context, instance, SagaConsumeContextMode.Load);
    }

    public async Task Save(SagaConsumeContext<TSaga> sagaContext)
    {
        if (batch.HoldInsert(db, sagaContext.Saga))
            return;
        db.Add(sagaContext.Saga);
        await db.SaveChangesAsync(CancellationToken);
    }

    /// <summary>
    /// Every update moves <see cref="ISagaVersion.Version"/> on (map it as a concurrency token): of two
    /// messages that read the same version, the second to save fails, and its retry reads again.
    /// </summary>
    public async Task Update(SagaConsumeContext<TSaga> sagaContext)
    {
        if (sagaContext.Saga is ISagaVersion versioned)
            versioned.Version++;
        if (untracked.Remove(sagaContext.Saga, out var token) && batch.HoldUpdate(db, sagaContext.Saga, token))
            return;
        await db.SaveChangesAsync(CancellationToken);
    }

    public async Task Delete(SagaConsumeContext<TSaga> sagaContext)
    {
        db.Remove(sagaContext.Saga);
        await db.SaveChangesAsync(CancellationToken);
    }

    public Task Discard(SagaConsumeContext<TSaga> sagaContext) => Task.CompletedTask;

    /// <summary>An untracked instance has nothing written to undo; a tracked one is read again.</summary>
    public Task Undo(SagaConsumeContext<TSaga> sagaContext) =>
        untracked.Remove(sagaContext.Saga) ? Task.CompletedTask : db.Entry(sagaContext.Saga).ReloadAsync(CancellationToken);

    public Task<SagaConsumeContext<TSaga, T>> CreateSagaConsumeContext<T>(ConsumeContext<T> consumeContext, TSaga instance,
        SagaConsumeContextMode mode) where T : class =>
        factory.CreateSagaConsumeContext(db, consumeContext, instance, mode);
}

/// <summary>Every message of a saga reads its instance: translated once per saga type (see <see cref="CompiledQuery{TParameter,TResult}"/>).</summary>
static class SagaReads<TSaga> where TSaga : class, ISaga
{
    public static readonly CompiledQuery<Guid, TSaga?> UntrackedById =
        new((db, id, _) => db.Set<TSaga>().AsNoTracking().SingleOrDefault(s => s.CorrelationId == id));
}
