using SagaEngine.Contracts;

namespace SagaEngine.Consumers.Payment;

/// <summary>
/// The simulated provider's answers, deterministic like a real provider's test tokens.
/// </summary>
public static class PaymentRules
{
    public const string DeclineToken = "tok_decline";

    /// <summary>Null when the charge goes through, otherwise why it was declined.</summary>
    public static string? WhyDeclined(decimal amount, string paymentToken, decimal maxAmount)
    {
        if (paymentToken == DeclineToken)
            return FailureReasons.PaymentDeclined;
        if (amount > maxAmount)
            return FailureReasons.AmountOverLimit;
        return null;
    }
}
