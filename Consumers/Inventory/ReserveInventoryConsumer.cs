using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using SagaEngine.Contracts;

namespace SagaEngine.Consumers.Inventory;

/// <summary>Reserves all of an order's lines or none, once per order however often the command arrives.</summary>
public class ReserveInventoryConsumer(DbContext db, TimeProvider clock, ILogger<ReserveInventoryConsumer> logger)
    : IConsumer<ReserveInventory>
{
    public async Task Consume(ConsumeContext<ReserveInventory> context)
    {
        var orderId = context.Message.OrderId;
        if (await db.Set<Reservation>().FindAsync([orderId], context.CancellationToken) is { } earlier)
        {
            await Reply(context, earlier);
            return;
        }

        var reservation = await Decide(context.Message, context.CancellationToken);
        await Reply(context, reservation);
        // The reservation and the reply are written first; the stock rows, which every order of a SKU
        // needs, are locked last, so that they stay locked only until the commit that follows.
        await db.SaveChangesAsync(context.CancellationToken);
        if (reservation.Status == ReservationStatus.Reserved && !await TakeFromStock(reservation.Lines, context.CancellationToken))
            // Another order took the stock between the read and the update: the retry decides again.
            throw new DbUpdateConcurrencyException($"The stock of order {orderId}'s SKUs changed while it was being reserved.");
    }

    async Task Reply(ConsumeContext<ReserveInventory> context, Reservation reservation)
    {
        switch (reservation.Status)
        {
            case ReservationStatus.Reserved:
                await context.Publish(new InventoryReserved(reservation.OrderId, context.Message.ReplySequence));
                break;
            case ReservationStatus.Failed:
                await context.Publish(new InventoryReservationFailed(reservation.OrderId, reservation.FailureReason!, context.Message.ReplySequence));
                break;
            default:
                logger.LogWarning("Order {OrderId} asked to reserve after its reservation was released; nothing reserved", reservation.OrderId);
                break;
        }
    }

    /// <summary>Decides from the stock as read (nothing locked yet) and adds the reservation, unsaved.</summary>
    async Task<Reservation> Decide(ReserveInventory command, CancellationToken cancellationToken)
    {
        var lines = StockRules.Combine(command.Items);
        var skus = lines.Select(l => l.Sku).ToList();
        var stock = await db.Set<StockItem>().AsNoTracking().Where(s => skus.Contains(s.Sku))
            .ToDictionaryAsync(s => s.Sku, cancellationToken);

        var failure = StockRules.WhyNotReservable(lines, stock);
        var now = clock.GetUtcNow().UtcDateTime;
        var reservation = new Reservation
        {
            OrderId = command.OrderId,
            Status = failure is null ? ReservationStatus.Reserved : ReservationStatus.Failed,
            FailureReason = failure,
            Lines = failure is null ? lines : [],
            CreatedAt = now,
            UpdatedAt = now
        };
        db.Add(reservation);
        return reservation;
    }

    /// <summary>
    /// Takes each line from its SKU's count in the database itself, only while enough is left, in SKU
    /// order (so two orders lock shared SKUs in the same order). Orders of one SKU then queue on its row
    /// (PostgreSQL re-checks the condition on the row a concurrent one committed) instead of failing on
    /// a version read before the other committed and retrying with back-off: a few popular SKUs are every
    /// order's rows. False when a line no longer fits; the caller's transaction then undoes the others.
    /// </summary>
    async Task<bool> TakeFromStock(IReadOnlyList<ReservedLine> lines, CancellationToken cancellationToken)
    {
        foreach (var line in lines)
        {
            var quantity = line.Quantity;
            var taken = await db.Set<StockItem>()
                .Where(s => s.Sku == line.Sku && s.Available >= quantity)
                .ExecuteUpdateAsync(u => u
                    .SetProperty(s => s.Available, s => s.Available - quantity)
                    .SetProperty(s => s.Reserved, s => s.Reserved + quantity)
                    .SetProperty(s => s.Version, s => s.Version + 1), cancellationToken);
            if (taken == 0)
                return false;
        }
        return true;
    }
}

public class ReserveInventoryConsumerDefinition : ConsumerDefinition<ReserveInventoryConsumer>
{
    public ReserveInventoryConsumerDefinition() => EndpointName = ServiceEndpoints.Inventory;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ReserveInventoryConsumer> consumerConfigurator, IRegistrationContext context) =>
        ServicePolicy.Apply(endpointConfigurator, consumerConfigurator, context, ServiceEndpoints.Inventory);
}
