using SagaEngine.EventSourcing;

namespace SagaEngine.Consumers.Payment;

/// <summary>What one customer was charged and refunded in one currency.</summary>
public sealed record CurrencyBalance(string Currency, decimal Charged, decimal Refunded)
{
    public decimal Balance => Charged - Refunded;
}

/// <summary>A customer's account: one balance per currency they paid in, by currency code.</summary>
public sealed record AccountBalances(IReadOnlyList<CurrencyBalance> Currencies)
{
    public static readonly AccountBalances Empty = new([]);

    public CurrencyBalance In(string currency) =>
        Currencies.FirstOrDefault(c => c.Currency == currency) ?? new CurrencyBalance(currency, 0m, 0m);

    public AccountBalances With(CurrencyBalance balance) =>
        new(Currencies.Where(c => c.Currency != balance.Currency).Append(balance).OrderBy(c => c.Currency, StringComparer.Ordinal).ToList());

    public bool Equals(AccountBalances? other) => other is not null && Currencies.SequenceEqual(other.Currencies);

    public override int GetHashCode() => Currencies.Aggregate(0, (hash, c) => HashCode.Combine(hash, c));
}

/// <summary>Folds a customer's stream (<c>account-{customerId}</c>) into their balances; the account rows are this fold kept up to date.</summary>
public sealed class AccountFold : StreamFold<AccountBalances>
{
    public const string StreamCategory = "account";

    public static readonly AccountFold Instance = new();

    public static string StreamId(string customerId) => StreamIds.For(StreamCategory, customerId);

    public override string Category => StreamCategory;

    public override IReadOnlyList<EventType> EventTypes { get; } =
        [EventType.Of<AccountCharged>(), EventType.Of<AccountChargeDeclined>(), EventType.Of<AccountRefunded>()];

    public override AccountBalances Initial => AccountBalances.Empty;

    public override AccountBalances Apply(AccountBalances state, object @event) => @event switch
    {
        AccountCharged e => Apply(state, e),
        AccountRefunded e => Apply(state, e),
        // A decline is on record, but moved no money.
        _ => state
    };

    public static AccountBalances Apply(AccountBalances state, AccountCharged e)
    {
        var balance = state.In(e.Currency);
        return state.With(balance with { Charged = balance.Charged + e.Amount });
    }

    public static AccountBalances Apply(AccountBalances state, AccountRefunded e)
    {
        var balance = state.In(e.Currency);
        return state.With(balance with { Refunded = balance.Refunded + e.Amount });
    }
}
