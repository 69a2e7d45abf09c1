using MassTransit;
using Microsoft.EntityFrameworkCore;
using SagaEngine.Contracts;
using SagaEngine.EventSourcing;

namespace SagaEngine.Consumers.Inventory;

/// <summary>Compensation: puts an order's reserved stock back, once, and always confirms.</summary>
public class ReleaseInventoryConsumer(DbContext db, StockRows stock, IEventStreams events, TimeProvider clock) : IConsumer<ReleaseInventory>
{
    public async Task Consume(ConsumeContext<ReleaseInventory> context)
    {
        var orderId = context.Message.OrderId;
        var now = clock.GetUtcNow().UtcDateTime;
        var reservation = await db.Set<Reservation>().AsNoTracking()
            .FirstOrDefaultAsync(r => r.OrderId == orderId, context.CancellationToken);
        if (reservation is null)
            // Released before anything was reserved: remember it, so a late reserve holds nothing.
            db.Add(new Reservation { OrderId = orderId, Status = ReservationStatus.Released, CreatedAt = now, UpdatedAt = now });

        await context.Publish(new InventoryReleased(orderId, context.Message.ReplySequence));
        await db.SaveChangesAsync(context.CancellationToken);
        if (reservation is not { Status: ReservationStatus.Reserved })
            return;

        // Only the release that moves the reservation out of Reserved gives its stock back (a concurrent
        // one finds it Released once the first commits). In the database itself, as reserving does, and
        // last: releases of a popular SKU queue on its row, holding it only until the commit.
        var released = await db.Set<Reservation>()
            .Where(r => r.OrderId == orderId && r.Status == ReservationStatus.Reserved)
            .ExecuteUpdateAsync(u => u
                .SetProperty(r => r.Status, ReservationStatus.Released)
                .SetProperty(r => r.UpdatedAt, now), context.CancellationToken);
        if (released == 0)
            return;
        var appends = new List<StreamAppend>(reservation.Lines.Count);
        foreach (var line in reservation.Lines.OrderBy(l => l.Sku, StringComparer.Ordinal))
            if (await stock.PutBack(line.Sku, line.Quantity, context.CancellationToken) is { } version)
                appends.Add(StreamAppend.Of(StockFold.StreamId(line.Sku), version - 1, new StockReleased(orderId, line.Quantity)));
        await events.Append(appends, context.CancellationToken);
    }
}

public class ReleaseInventoryConsumerDefinition : ConsumerDefinition<ReleaseInventoryConsumer>
{
    public ReleaseInventoryConsumerDefinition() => EndpointName = ServiceEndpoints.Inventory;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ReleaseInventoryConsumer> consumerConfigurator, IRegistrationContext context) =>
        ServicePolicy.Apply(endpointConfigurator, consumerConfigurator, context, ServiceEndpoints.Inventory);
}
