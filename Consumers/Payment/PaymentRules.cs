using SagaEngine.Contracts;

namespace SagaEngine.Consumers.Payment;

/// <summary>
/// The simulated provider's answers, deterministic like a real provider's test tokens.
/// </summary>
public static class PaymentRules
{
    public const string DeclineToken = "tok_decline";
    public const string TimeoutToken = "tok_timeout";
    public const string SlowToken = "tok_slow";
    public const string FlakyToken = "tok_flaky";

    /// <summary>How many attempts of a <see cref="FlakyToken"/> charge fail before one goes through.</summary>
    public const int FlakyFailures = 2;

    /// <summary>Null when the charge goes through, otherwise why it was declined.</summary>
    public static string? WhyDeclined(decimal amount, string paymentToken, decimal maxAmount)
    {
        if (paymentToken == DeclineToken)
            return FailureReasons.PaymentDeclined;
        if (amount > maxAmount)
            return FailureReasons.AmountOverLimit;
        return null;
    }

    /// <summary>How the provider answers a charge with this token (the outcome itself is <see cref="WhyDeclined"/>).</summary>
    public static ProviderBehaviour Behaviour(string paymentToken) => paymentToken switch
    {
        TimeoutToken => ProviderBehaviour.NeverAnswers,
        SlowToken => ProviderBehaviour.AnswersLate,
        FlakyToken => ProviderBehaviour.FailsFirstAttempts,
        _ => ProviderBehaviour.AnswersAtOnce
    };

    /// <summary>True when this attempt (numbered from 1) of a flaky charge fails.</summary>
    public static bool FlakyAttemptFails(int attempt) => attempt <= FlakyFailures;
}

public enum ProviderBehaviour
{
    AnswersAtOnce,
    NeverAnswers,
    AnswersLate,
    FailsFirstAttempts
}
