using Microsoft.EntityFrameworkCore;
using SagaEngine.Host.Persistence;
using SagaEngine.Sagas;

namespace SagaEngine.Host.Api;

/// <summary>Reads orders for the API straight from the saga table (and the intake, for orders not yet picked up).</summary>
public class OrderQueries(DbContext db)
{
    // Every long poll and status read makes these: translated once (see CompiledQuery).
    static readonly CompiledQuery<Guid, OrderState?> SagaById =
        new((db, id, _) => db.Set<OrderState>().AsNoTracking().FirstOrDefault(o => o.CorrelationId == id));

    static readonly CompiledQuery<Guid, OrderIntake?> IntakeById =
        new((db, id, _) => db.Set<OrderIntake>().AsNoTracking().FirstOrDefault(i => i.OrderId == id));

    // A long poll's first look needs only the state; the saga's row, or else the intake's, in one statement.
    static readonly CompiledQuery<Guid, string?> StateById =
        new((db, id, _) => db.Set<OrderState>().Where(o => o.CorrelationId == id).Select(o => new { Rank = 0, State = o.CurrentState })
            .Concat(db.Set<OrderIntake>().Where(i => i.OrderId == id).Select(i => new { Rank = 1, State = OrdersApi.SubmittedState }))
            .OrderBy(r => r.Rank).Select(r => r.State).FirstOrDefault());

    /// <summary>
    /// The order's state alone, or null when there is no such order: cheaper than <see cref="Find"/> for a caller that
    /// reads the whole order only later (a wait reads it once it has ended, not twice).
    /// </summary>
    public Task<string?> StateOf(Guid orderId) => StateById.Run(db, orderId);

    public async Task<OrderView?> Find(Guid orderId)
    {
        if (await SagaById.Run(db, orderId) is { } order)
            return OrderView.From(order);

        // Accepted, but its saga has not started yet: show what was submitted.
        return await IntakeById.Run(db, orderId) is { } intake
            ? OrderView.From(intake)
            : null;
    }

    /// <summary>
    /// Newest first, by creation time and then id, both descending. Both databases order ids the way
    /// <see cref="Guid.CompareTo(Guid)"/> does (SQLite compares the upper-case text form, PostgreSQL the
    /// uuid bytes, and both follow the digits of the text), so a cursor means the same on either.
    /// </summary>
    public async Task<(IReadOnlyList<OrderState> Orders, bool More)> Page(string? state, int limit, OrderCursor? after)
    {
        var orders = db.Set<OrderState>().AsNoTracking();
        if (state is not null)
            orders = orders.Where(o => o.CurrentState == state);
        if (after is { } c)
            orders = orders.Where(o => o.CreatedAt < c.CreatedAt || (o.CreatedAt == c.CreatedAt && o.CorrelationId.CompareTo(c.OrderId) < 0));

        var page = await orders.OrderByDescending(o => o.CreatedAt).ThenByDescending(o => o.CorrelationId)
            .Take(limit + 1).ToListAsync();
        return (page.Take(limit).ToList(), page.Count > limit);
    }
}
