using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SagaEngine.Contracts;

namespace SagaEngine.Consumers.Payment;

/// <summary>Charges an order once; a repeated command gets the first answer again and moves no money.</summary>
public class ChargePaymentConsumer(DbContext db, IOptions<PaymentOptions> options, TimeProvider clock)
    : IConsumer<ChargePayment>
{
    public async Task Consume(ConsumeContext<ChargePayment> context)
    {
        var command = context.Message;
        var outcome = await db.Set<LedgerEntry>()
                          .FirstOrDefaultAsync(e => e.OrderId == command.OrderId, context.CancellationToken)
                      ?? await Decide(command, context.CancellationToken);

        if (outcome.Kind == LedgerEntryKind.Charge)
            await context.Publish(new PaymentCharged(command.OrderId, outcome.Amount, outcome.Currency));
        else
            await context.Publish(new PaymentFailed(command.OrderId, outcome.Reason!));
    }

    async Task<LedgerEntry> Decide(ChargePayment command, CancellationToken cancellationToken)
    {
        var declined = PaymentRules.WhyDeclined(command.Amount, command.PaymentToken, options.Value.MaxAmount);
        var entry = new LedgerEntry
        {
            Id = NewId.NextGuid(),
            OrderId = command.OrderId,
            Kind = declined is null ? LedgerEntryKind.Charge : LedgerEntryKind.Decline,
            Amount = command.Amount,
            Currency = command.Currency,
            Reason = declined,
            RecordedAt = clock.GetUtcNow().UtcDateTime
        };
        db.Add(entry);
        await db.SaveChangesAsync(cancellationToken);
        return entry;
    }
}

public class ChargePaymentConsumerDefinition : ConsumerDefinition<ChargePaymentConsumer>
{
    public ChargePaymentConsumerDefinition() => EndpointName = ServiceEndpoints.Payment;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ChargePaymentConsumer> consumerConfigurator, IRegistrationContext context) =>
        ServicePolicy.Apply(endpointConfigurator, consumerConfigurator, context);
}
