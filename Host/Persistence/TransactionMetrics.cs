using System.Data.Common;
using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace SagaEngine.Host.Persistence;

/// <summary>
/// Counts the database transactions that every DbContext of this process committed: what one order
/// costs in transactions (the benchmark divides it by the orders). Work thrown away and retried shows
/// in MassTransit's retry counters instead.
/// </summary>
public sealed class TransactionMetrics : DbTransactionInterceptor
{
    public const string MeterName = "SagaEngine.Database";

    readonly Counter<long> _committed;

    public TransactionMetrics(IMeterFactory meters) =>
        _committed = meters.Create(MeterName)
            .CreateCounter<long>("sagaengine.db.transactions", "{transaction}", "Database transactions committed.");

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => _committed.Add(1);

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        _committed.Add(1);
        return Task.CompletedTask;
    }
}
