using SagaEngine.EventSourcing;

namespace SagaEngine.Consumers.Payment;

/// <summary>
/// Records a payment outcome on the customer's account: the event on their stream and the balance it
/// changes, in the caller's transaction. Call it last before the commit: it holds the account's row.
/// </summary>
public sealed class PaymentAccounts(AccountRows rows, IEventStreams events)
{
    public async Task Record(string customerId, object @event, CancellationToken cancellationToken)
    {
        var (currency, charged, refunded) = @event switch
        {
            AccountCharged e => (e.Currency, e.Amount, 0m),
            AccountRefunded e => (e.Currency, 0m, e.Amount),
            AccountChargeDeclined e => (e.Currency, 0m, 0m),
            _ => throw new ArgumentException($"{@event.GetType().Name} is not an account event.", nameof(@event))
        };
        var (version, balance) = await rows.Lock(customerId, currency, cancellationToken);
        if (charged != 0 || refunded != 0)
            await rows.WriteBalance(customerId,
                balance with { Charged = balance.Charged + charged, Refunded = balance.Refunded + refunded }, cancellationToken);
        await events.Append(AccountFold.StreamId(customerId), version - 1, @event, cancellationToken);
    }
}
