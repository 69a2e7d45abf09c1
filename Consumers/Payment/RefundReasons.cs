namespace SagaEngine.Consumers.Payment;

/// <summary>Why the ledger gave money back, as shown on a refund entry.</summary>
public static class RefundReasons
{
    /// <summary>The charge came after the order was cancelled (its payment timed out).</summary>
    public const string LateCharge = "late-charge";
}
