using MassTransit;
using Microsoft.EntityFrameworkCore;
using SagaEngine.Contracts;

namespace SagaEngine.Consumers.Inventory;

/// <summary>Compensation: puts an order's reserved stock back, once, and always confirms.</summary>
public class ReleaseInventoryConsumer(DbContext db, TimeProvider clock) : IConsumer<ReleaseInventory>
{
    public async Task Consume(ConsumeContext<ReleaseInventory> context)
    {
        var orderId = context.Message.OrderId;
        var now = clock.GetUtcNow().UtcDateTime;
        var reservation = await db.Set<Reservation>().FindAsync([orderId], context.CancellationToken);

        if (reservation is null)
        {
            // Released before anything was reserved: remember it, so a late reserve holds nothing.
            db.Add(new Reservation { OrderId = orderId, Status = ReservationStatus.Released, CreatedAt = now, UpdatedAt = now });
        }
        else if (reservation.Status == ReservationStatus.Reserved)
        {
            // In the database itself, as reserving does: releases of a popular SKU queue on its row
            // instead of conflicting on its version.
            foreach (var line in reservation.Lines.OrderBy(l => l.Sku, StringComparer.Ordinal))
            {
                var quantity = line.Quantity;
                await db.Set<StockItem>().Where(s => s.Sku == line.Sku)
                    .ExecuteUpdateAsync(u => u
                        .SetProperty(s => s.Available, s => s.Available + quantity)
                        .SetProperty(s => s.Reserved, s => s.Reserved - quantity)
                        .SetProperty(s => s.Version, s => s.Version + 1), context.CancellationToken);
            }
            reservation.Status = ReservationStatus.Released;
            reservation.UpdatedAt = now;
        }

        await db.SaveChangesAsync(context.CancellationToken);
        await context.Publish(new InventoryReleased(orderId));
    }
}

public class ReleaseInventoryConsumerDefinition : ConsumerDefinition<ReleaseInventoryConsumer>
{
    public ReleaseInventoryConsumerDefinition() => EndpointName = ServiceEndpoints.Inventory;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ReleaseInventoryConsumer> consumerConfigurator, IRegistrationContext context) =>
        ServicePolicy.Apply(endpointConfigurator, consumerConfigurator, context);
}
