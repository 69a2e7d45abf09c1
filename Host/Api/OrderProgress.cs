using Microsoft.EntityFrameworkCore;
using SagaEngine.Contracts;
using SagaEngine.Sagas;

namespace SagaEngine.Host.Api;

/// <summary>
/// The sequence number of an order's latest event that exists, from the write side: what a read model
/// must have applied to be consistent with everything done to the order so far (see docs/schemas.md for
/// how the saga numbers events). The saga's <c>LastSequence</c> may be a number it reserved for a reply
/// still to come, which is not an event yet: while it waits for a step, and after an inventory timeout,
/// whose release reserves the number after the cancellation.
/// </summary>
public static class OrderProgress
{
    /// <returns>Whether the order exists, and its latest event's number (null for an order started before sequence numbers: any event of it will do).</returns>
    public static async Task<(bool Exists, int? Sequence)> Latest(DbContext db, OrderStateMachine machine, Guid orderId,
        CancellationToken cancellationToken)
    {
        var saga = await db.Set<OrderState>().AsNoTracking().Where(o => o.CorrelationId == orderId)
            .Select(o => new { o.CurrentState, o.LastSequence, o.FailureReason }).FirstOrDefaultAsync(cancellationToken);
        if (saga is null)
            // Accepted, its saga not started: its submission (always number 1) is its only event.
            return await db.Set<OrderIntake>().AsNoTracking().AnyAsync(i => i.OrderId == orderId, cancellationToken) ? (true, 1) : (false, null);
        if (saga.LastSequence is not { } last)
            return (true, null);

        var ended = saga.CurrentState == machine.Confirmed.Name || saga.CurrentState == machine.Cancelled.Name;
        var reservedAfterEnd = saga.CurrentState == machine.Cancelled.Name && saga.FailureReason == FailureReasons.InventoryTimeout;
        return (true, ended && !reservedAfterEnd ? last : last - 1);
    }
}
