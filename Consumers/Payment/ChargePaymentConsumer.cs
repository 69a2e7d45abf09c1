using MassTransit;
using MassTransit.Middleware;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SagaEngine.Contracts;

namespace SagaEngine.Consumers.Payment;

/// <summary>
/// Charges an order once; a repeated command gets the first answer again and moves no money. The
/// token decides how the simulated provider behaves: at once, never, late, or after failing twice.
/// </summary>
public class ChargePaymentConsumer(
    DbContext db, PaymentAccounts accounts, IOptions<PaymentOptions> options, FlakyProviderAttempts flaky, TimeProvider clock,
    ILogger<ChargePaymentConsumer> logger)
    : IConsumer<ChargePayment>
{
    public async Task Consume(ConsumeContext<ChargePayment> context)
    {
        var command = context.Message;
        var behaviour = PaymentRules.Behaviour(command.PaymentToken);
        if (behaviour == ProviderBehaviour.NeverAnswers)
        {
            logger.LogInformation("Payment for order {OrderId} is never answered ({Token})", command.OrderId, command.PaymentToken);
            return;
        }

        var earlier = await db.Set<LedgerEntry>()
            .FirstOrDefaultAsync(e => e.OrderId == command.OrderId && e.Kind != LedgerEntryKind.Refund, context.CancellationToken);
        var outcome = earlier ?? Decide(command, behaviour);

        var reply = outcome.Kind == LedgerEntryKind.Charge
            ? (object)new PaymentCharged(command.OrderId, outcome.Amount, outcome.Currency, command.ReplySequence)
            : new PaymentFailed(command.OrderId, outcome.Reason!, command.ReplySequence);

        if (behaviour == ProviderBehaviour.AnswersLate)
        {
            // A scheduled publish, not a wait: inside the transactional outbox it is a row due later,
            // committed with the ledger entry, so the late answer survives a restart.
            var delay = options.Value.SlowDelay ?? PaymentOptions.DefaultSlowDelay;
            await context.GetPayload<MessageSchedulerContext>()
                .SchedulePublish(clock.GetUtcNow().UtcDateTime + delay, reply, context.CancellationToken);
        }
        else
            await context.Publish(reply, context.CancellationToken);

        if (earlier is not null)
            return;
        // The entry and the reply are saved with the message's commit; the customer's account is locked last,
        // just before it. The ledger's unique index refuses a second outcome for the order at that commit, and
        // the retry of a concurrent delivery answers with the first.
        if (outcome.CustomerId is { } customerId)
            await accounts.Record(customerId, outcome.Kind == LedgerEntryKind.Charge
                ? new AccountCharged(outcome.OrderId, outcome.Amount, outcome.Currency)
                : new AccountChargeDeclined(outcome.OrderId, outcome.Amount, outcome.Currency, outcome.Reason!), context.CancellationToken);
        else
            logger.LogWarning("Payment for order {OrderId} names no customer (a command of an earlier release); recorded on no account",
                command.OrderId);
        await UnitOfWork.SaveUnlessInTransaction(db, context.CancellationToken);
    }

    /// <summary>The provider's answer as a new ledger entry, added to the unit of work.</summary>
    LedgerEntry Decide(ChargePayment command, ProviderBehaviour behaviour)
    {
        if (behaviour == ProviderBehaviour.FailsFirstAttempts)
        {
            var attempt = flaky.Next(command.OrderId);
            if (PaymentRules.FlakyAttemptFails(attempt))
                throw new PaymentProviderUnavailableException(command.OrderId, attempt);
            flaky.Forget(command.OrderId);
        }

        var declined = PaymentRules.WhyDeclined(command.Amount, command.PaymentToken, options.Value.MaxAmount);
        var entry = new LedgerEntry
        {
            Id = NewId.NextGuid(),
            OrderId = command.OrderId,
            CustomerId = command.CustomerId,
            Kind = declined is null ? LedgerEntryKind.Charge : LedgerEntryKind.Decline,
            Amount = command.Amount,
            Currency = command.Currency,
            Reason = declined,
            RecordedAt = clock.GetUtcNow().UtcDateTime
        };
        db.Add(entry);
        return entry;
    }
}

public class ChargePaymentConsumerDefinition : ConsumerDefinition<ChargePaymentConsumer>
{
    public ChargePaymentConsumerDefinition() => EndpointName = ServiceEndpoints.Payment;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ChargePaymentConsumer> consumerConfigurator, IRegistrationContext context)
    {
        // Slow answers are delayed publishes; inside the transactional outbox they become rows due later.
        endpointConfigurator.UseFilter(new DelayedMessageSchedulerFilter());
        ServicePolicy.Apply(endpointConfigurator, consumerConfigurator, context, ServiceEndpoints.Payment);
    }
}
