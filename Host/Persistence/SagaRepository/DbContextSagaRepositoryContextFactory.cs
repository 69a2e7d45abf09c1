using MassTransit;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;
using SagaEngine.Host.Persistence.Writes;

namespace SagaEngine.Host.Persistence.SagaRepository;

/// <summary>The saga repository MassTransit resolves per message scope, on that scope's DbContext.</summary>
public class DbContextSagaRepositoryContextFactory<TSaga>(DbContext db, ISagaConsumeContextFactory<DbContext, TSaga> factory, CommitBatch batch)
    : ISagaRepositoryContextFactory<TSaga>
    where TSaga : class, ISaga
{
    public Task Send<T>(ConsumeContext<T> context, IPipe<SagaRepositoryContext<TSaga, T>> next) where T : class =>
        InTransaction(context.CancellationToken, () => next.Send(new DbContextSagaRepositoryContext<TSaga, T>(db, context, factory, batch)));

    public Task SendQuery<T>(ConsumeContext<T> context, ISagaQuery<TSaga> query, IPipe<SagaRepositoryQueryContext<TSaga, T>> next)
        where T : class =>
        InTransaction(context.CancellationToken, async () =>
        {
            var ids = await db.Set<TSaga>().Where(query.FilterExpression).Select(s => s.CorrelationId)
                .ToListAsync(context.CancellationToken);
            var repositoryContext = new DbContextSagaRepositoryContext<TSaga, T>(db, context, factory, batch);
            await next.Send(new DefaultSagaRepositoryQueryContext<TSaga, T>(repositoryContext, ids));
        });

    public void Probe(ProbeContext context) => context.Add("persistence", "dbContext");

    /// <summary>
    /// Behind the transactional outbox the transaction is already open and the outbox commits it. A saga
    /// used without the outbox still gets its load and its save in one transaction of its own.
    /// </summary>
    async Task InTransaction(CancellationToken cancellationToken, Func<Task> work)
    {
        if (db.Database.CurrentTransaction is not null)
        {
            await work();
            return;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await work();
        await transaction.CommitAsync(cancellationToken);
    }
}
