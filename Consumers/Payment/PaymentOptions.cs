using System.ComponentModel.DataAnnotations;

namespace SagaEngine.Consumers.Payment;

/// <summary>Settings under <c>Payment</c>.</summary>
public class PaymentOptions
{
    public const string Section = "Payment";

    /// <summary>Orders whose total is above this are declined with <c>amount-over-limit</c>.</summary>
    [Range(typeof(decimal), "0.01", "79228162514264337593543950335", ErrorMessage = "Payment:MaxAmount must be more than 0.")]
    public decimal MaxAmount { get; set; } = 10_000m;
}
