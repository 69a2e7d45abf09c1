using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using SagaEngine.Contracts;
using SagaEngine.EventSourcing;

namespace SagaEngine.Consumers.Inventory;

/// <summary>Reserves all of an order's lines or none, once per order however often the command arrives.</summary>
public class ReserveInventoryConsumer(DbContext db, StockRows stock, IEventStreams events, TimeProvider clock,
    ILogger<ReserveInventoryConsumer> logger)
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
        // The reservation and the reply are saved with the message's commit. The stock rows, which every
        // order of a SKU needs, are its last statements before it, so they stay locked only until it. A
        // concurrent delivery of the same command fails there, on the reservation's key, and its retry
        // answers as the first did.
        if (reservation.Status == ReservationStatus.Reserved && !await TakeFromStock(reservation, context.CancellationToken))
            // Another order took the stock between the read and the update: the retry decides again.
            throw new DbUpdateConcurrencyException($"The stock of order {orderId}'s SKUs changed while it was being reserved.");
        await UnitOfWork.SaveUnlessInTransaction(db, context.CancellationToken);
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
    /// order (so two orders lock shared SKUs in the same order), then appends a <see cref="StockReserved"/>
    /// to each SKU's stream at the version its row moved to. Orders of one SKU queue on its row (see
    /// <see cref="StockRows"/>) instead of failing on a version read before another committed and retrying
    /// with back-off: a few popular SKUs are every order's rows. False when a line no longer fits; the
    /// caller's transaction then undoes the others.
    /// </summary>
    async Task<bool> TakeFromStock(Reservation reservation, CancellationToken cancellationToken)
    {
        var appends = new List<StreamAppend>(reservation.Lines.Count);
        foreach (var line in reservation.Lines)
        {
            if (await stock.Take(line.Sku, line.Quantity, cancellationToken) is not { } version)
                return false;
            appends.Add(StreamAppend.Of(StockFold.StreamId(line.Sku), version - 1, new StockReserved(reservation.OrderId, line.Quantity)));
        }
        await events.Append(appends, cancellationToken);
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
