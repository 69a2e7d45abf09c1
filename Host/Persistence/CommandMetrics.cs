using System.Data.Common;
using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace SagaEngine.Host.Persistence;

/// <summary>
/// Counts the commands every DbContext of this process sent to the database: with the committed
/// transactions (<see cref="TransactionMetrics"/>), the round trips one order costs (a batch of
/// statements is one command, so batching shows here).
/// </summary>
public sealed class CommandMetrics : DbCommandInterceptor
{
    readonly Counter<long> _executed;

    public CommandMetrics(IMeterFactory meters) =>
        _executed = meters.Create(TransactionMetrics.MeterName)
            .CreateCounter<long>("sagaengine.db.commands", "{command}", "Database commands executed (each one round trip).");

    /// <summary>Counts a command sent outside EF's pipeline, which these interceptors do not see.</summary>
    public void Sent() => _executed.Add(1);

    /// <summary>The counter <paramref name="db"/> runs as an interceptor, for its commands sent outside EF's pipeline; null when it runs none.</summary>
    public static CommandMetrics? Of(DbContext db) =>
        db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.Interceptors?.OfType<CommandMetrics>().FirstOrDefault();

    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
    {
        _executed.Add(1);
        return result;
    }

    public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result,
        CancellationToken cancellationToken = default)
    {
        _executed.Add(1);
        return ValueTask.FromResult(result);
    }

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        _executed.Add(1);
        return result;
    }

    public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result,
        CancellationToken cancellationToken = default)
    {
        _executed.Add(1);
        return ValueTask.FromResult(result);
    }

    public override object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
    {
        _executed.Add(1);
        return result;
    }

    public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result,
        CancellationToken cancellationToken = default)
    {
        _executed.Add(1);
        return ValueTask.FromResult(result);
    }
}
