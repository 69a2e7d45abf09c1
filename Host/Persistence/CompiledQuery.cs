using System.Collections.Concurrent;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace SagaEngine.Host.Persistence;

/// <summary>
/// A query EF translates once instead of on every call: for the reads every message or request makes. EF's
/// compiled query belongs to the first model it runs against and refuses any other, while a process may hold
/// one model per provider (the tests hold both), so this keeps one compiled query per model.
/// </summary>
public sealed class CompiledQuery<TParameter, TResult>(Expression<Func<DbContext, TParameter, CancellationToken, TResult>> query)
{
    readonly ConcurrentDictionary<IModel, Func<DbContext, TParameter, CancellationToken, Task<TResult>>> _perModel = new();

    public Task<TResult> Run(DbContext db, TParameter parameter, CancellationToken cancellationToken = default) =>
        _perModel.GetOrAdd(db.Model, _ => EF.CompileAsyncQuery(query))(db, parameter, cancellationToken);
}
