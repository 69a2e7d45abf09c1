namespace SagaEngine.Consumers.Payment;

/// <summary>
/// A customer's account row: the version of their stream (<c>account-{customerId}</c>) that
/// <see cref="PaymentAccountBalance"/> rows reflect. Its lock, held to the commit, orders the stream's appends.
/// </summary>
public class PaymentAccount
{
    public string CustomerId { get; set; } = "";

    public int Version { get; set; }
}

/// <summary>What one customer was charged and refunded in one currency, as of their account's version.</summary>
public class PaymentAccountBalance
{
    public string CustomerId { get; set; } = "";

    public string Currency { get; set; } = "";

    public decimal Charged { get; set; }

    public decimal Refunded { get; set; }
}
