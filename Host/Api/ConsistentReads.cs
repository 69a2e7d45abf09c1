using Microsoft.EntityFrameworkCore;
using SagaEngine.Host.Projections.Consistency;
using SagaEngine.Host.Projections.Storage;
using SagaEngine.Sagas;

namespace SagaEngine.Host.Api;

/// <summary>
/// <c>consistentWith=&lt;orderId&gt;</c> on a read-model query: wait (up to <see cref="MaxWait"/>, holding no
/// thread or connection) until the projection has applied that order's latest event. If it has not by
/// then, the query answers with the rows as they are and a <see cref="LagHeader"/> saying how many of the
/// order's events they do not reflect yet.
/// </summary>
public sealed class ConsistentReads(ProjectionWaiters waiters, OrderStateMachine machine)
{
    public const string Parameter = "consistentWith";
    public const string LagHeader = "Projection-Lag";
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(5);

    /// <summary>Adds an error for <c>consistentWith</c> when it is given and not an order id.</summary>
    public static Guid? Parse(string? consistentWith, Dictionary<string, string[]> errors)
    {
        if (consistentWith is null)
            return null;
        if (Guid.TryParse(consistentWith, out var orderId))
            return orderId;
        errors[Parameter] = ["Not an order id (a GUID)."];
        return null;
    }

    /// <returns>An error for <c>consistentWith</c> when no order has that id; otherwise null, after the wait.</returns>
    public async Task<Dictionary<string, string[]>?> WaitFor(string projection, Guid? orderId, DbContext db, HttpResponse response,
        CancellationToken cancellationToken)
    {
        if (orderId is not { } id)
            return null;
        var (exists, sequence) = await OrderProgress.Latest(db, machine, id, cancellationToken);
        if (!exists)
            return new Dictionary<string, string[]> { [Parameter] = [$"No order has the id {id}."] };
        if (await waiters.WaitAsync(projection, id.ToString(), sequence, MaxWait, cancellationToken))
            return null;

        var version = await ProjectionVersions.Active(db, projection, cancellationToken);
        var applied = await db.Set<ProjectionKey>().AsNoTracking()
            .Where(k => k.Projection == projection && k.Version == version && k.Key == id.ToString())
            .Select(k => new { k.LastSequence }).FirstOrDefaultAsync(cancellationToken);
        var missing = sequence is { } latest ? Math.Max(1, latest - (applied?.LastSequence ?? 0)) : 1;
        response.Headers[LagHeader] = missing.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return null;
    }
}
