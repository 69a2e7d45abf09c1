using System.ComponentModel.DataAnnotations;

namespace SagaEngine.Consumers.Payment;

/// <summary>Settings under <c>Payment</c>.</summary>
public class PaymentOptions : IValidatableObject
{
    public const string Section = "Payment";

    /// <summary>Orders whose total is above this are declined with <c>amount-over-limit</c>.</summary>
    [Range(typeof(decimal), "0.01", "79228162514264337593543950335", ErrorMessage = "Payment:MaxAmount must be more than 0.")]
    public decimal MaxAmount { get; set; } = 10_000m;

    /// <summary>
    /// How long a <c>tok_slow</c> charge takes to answer. Unset, it is twice <c>Saga:PaymentTimeout</c>,
    /// so that the answer comes after the order gave up waiting (and is refunded).
    /// </summary>
    public TimeSpan? SlowDelay { get; set; }

    /// <summary>What <see cref="SlowDelay"/> is when nothing set it: twice the saga's default payment timeout.</summary>
    public static readonly TimeSpan DefaultSlowDelay = TimeSpan.FromSeconds(60);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (SlowDelay is { } delay && (delay <= TimeSpan.Zero || delay > TimeSpan.FromDays(1)))
            yield return new ValidationResult($"{Section}:{nameof(SlowDelay)} must be more than 0 and at most 1.00:00:00, not {delay}.",
                [$"{Section}:{nameof(SlowDelay)}"]);
    }
}
