using SagaEngine.Consumers.Payment;

namespace SagaEngine.Tests.Consumers;

/// <summary>A customer's balances folded from their account events, without storage (see docs/event-store.md).</summary>
public class AccountFold_Specs
{
    static AccountBalances Fold(params object[] events) => events.Aggregate(AccountFold.Instance.Initial, AccountFold.Instance.Apply);

    [Fact]
    public void Should_add_charges_and_refunds_per_currency_and_keep_the_balance()
    {
        var (a, b, c) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());

        var account = Fold(new AccountCharged(a, 25.00m, "EUR"), new AccountCharged(b, 10.10m, "USD"), new AccountCharged(c, 4.25m, "EUR"),
            new AccountRefunded(c, 4.25m, "EUR", RefundReasons.LateCharge));

        Assert.Equal([new CurrencyBalance("EUR", 29.25m, 4.25m), new CurrencyBalance("USD", 10.10m, 0m)], account.Currencies);
        Assert.Equal(25.00m, account.In("EUR").Balance);
    }

    [Fact]
    public void Should_record_a_decline_without_moving_money()
    {
        Assert.Equal(AccountBalances.Empty, Fold(new AccountChargeDeclined(Guid.NewGuid(), 99m, "EUR", "payment-declined")));
        Assert.Equal(new AccountBalances([new CurrencyBalance("EUR", 5m, 0m)]),
            Fold(new AccountCharged(Guid.NewGuid(), 5m, "EUR"), new AccountChargeDeclined(Guid.NewGuid(), 99m, "EUR", "payment-declined")));
    }

    [Fact]
    public void Should_compare_balances_by_value_whatever_the_decimal_scale()
    {
        Assert.Equal(new AccountBalances([new CurrencyBalance("EUR", 25m, 0m)]), new AccountBalances([new CurrencyBalance("EUR", 25.00m, 0.0m)]));
        Assert.NotEqual(new AccountBalances([new CurrencyBalance("EUR", 25m, 0m)]), new AccountBalances([new CurrencyBalance("EUR", 25m, 1m)]));
    }
}
