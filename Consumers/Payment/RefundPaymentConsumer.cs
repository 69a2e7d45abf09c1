using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using SagaEngine.Contracts;

namespace SagaEngine.Consumers.Payment;

/// <summary>
/// Gives back an order's charge, once: the ledger then shows the charge and its refund. Always confirms
/// with <see cref="PaymentRefunded"/>, so the saga can stop asking: again for a refund already made, and
/// for an order never charged, which holds nothing to give back.
/// </summary>
public class RefundPaymentConsumer(DbContext db, PaymentAccounts accounts, TimeProvider clock, ILogger<RefundPaymentConsumer> logger)
    : IConsumer<RefundPayment>
{
    public async Task Consume(ConsumeContext<RefundPayment> context)
    {
        var orderId = context.Message.OrderId;
        var entries = await db.Set<LedgerEntry>().Where(e => e.OrderId == orderId).ToListAsync(context.CancellationToken);
        // Committed with whatever this refund records, like every reply of the service.
        await context.Publish(new PaymentRefunded(orderId, context.Message.ReplySequence), context.CancellationToken);
        if (entries.Any(e => e.Kind == LedgerEntryKind.Refund))
            return;

        if (entries.FirstOrDefault(e => e.Kind == LedgerEntryKind.Charge) is not { } charge)
        {
            logger.LogWarning("Refund for order {OrderId} asked, but the order was never charged; nothing to give back", orderId);
            return;
        }

        // The refund repeats the charge's amount, not the command's: the ledger gives back what it took.
        db.Add(new LedgerEntry
        {
            Id = NewId.NextGuid(),
            OrderId = orderId,
            CustomerId = charge.CustomerId,
            Kind = LedgerEntryKind.Refund,
            Amount = charge.Amount,
            Currency = charge.Currency,
            Reason = RefundReasons.LateCharge,
            RecordedAt = clock.GetUtcNow().UtcDateTime
        });
        await db.SaveChangesAsync(context.CancellationToken);
        if (charge.CustomerId is { } customerId)
            await accounts.Record(customerId, new AccountRefunded(orderId, charge.Amount, charge.Currency, RefundReasons.LateCharge),
                context.CancellationToken);
    }
}

public class RefundPaymentConsumerDefinition : ConsumerDefinition<RefundPaymentConsumer>
{
    public RefundPaymentConsumerDefinition() => EndpointName = ServiceEndpoints.Payment;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<RefundPaymentConsumer> consumerConfigurator, IRegistrationContext context) =>
        ServicePolicy.Apply(endpointConfigurator, consumerConfigurator, context, ServiceEndpoints.Payment);
}
