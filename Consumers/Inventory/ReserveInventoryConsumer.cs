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
        var reservation = await db.Set<Reservation>().FindAsync([orderId], context.CancellationToken)
                          ?? await Decide(context.Message, context.CancellationToken);

        switch (reservation.Status)
        {
            case ReservationStatus.Reserved:
                await context.Publish(new InventoryReserved(orderId));
                break;
            case ReservationStatus.Failed:
                await context.Publish(new InventoryReservationFailed(orderId, reservation.FailureReason!));
                break;
            default:
                logger.LogWarning("Order {OrderId} asked to reserve after its reservation was released; nothing reserved", orderId);
                break;
        }
    }

    async Task<Reservation> Decide(ReserveInventory command, CancellationToken cancellationToken)
    {
        var lines = StockRules.Combine(command.Items);
        var skus = lines.Select(l => l.Sku).ToList();
        var stock = await db.Set<StockItem>().Where(s => skus.Contains(s.Sku))
            .ToDictionaryAsync(s => s.Sku, cancellationToken);

        var failure = StockRules.WhyNotReservable(lines, stock);
        if (failure is null)
            StockRules.Reserve(lines, stock);

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
        await db.SaveChangesAsync(cancellationToken);
        return reservation;
    }
}

public class ReserveInventoryConsumerDefinition : ConsumerDefinition<ReserveInventoryConsumer>
{
    public ReserveInventoryConsumerDefinition() => EndpointName = ServiceEndpoints.Inventory;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ReserveInventoryConsumer> consumerConfigurator, IRegistrationContext context) =>
        ServicePolicy.Apply(endpointConfigurator, consumerConfigurator, context, ServiceEndpoints.Inventory);
}
