using System.ComponentModel.DataAnnotations;

namespace SagaEngine.Sagas;

/// <summary>Settings under <c>Saga</c>: how long the order waits for each service before giving up on it.</summary>
public class OrderSagaOptions : IValidatableObject
{
    public const string Section = "Saga";

    /// <summary>From sending <c>ReserveInventory</c> until the order is cancelled with <c>inventory-timeout</c>.</summary>
    public TimeSpan InventoryTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>From sending <c>ChargePayment</c> until the order is compensated and cancelled with <c>payment-timeout</c>.</summary>
    public TimeSpan PaymentTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Invalid(InventoryTimeout))
            yield return Fail(nameof(InventoryTimeout), InventoryTimeout);
        if (Invalid(PaymentTimeout))
            yield return Fail(nameof(PaymentTimeout), PaymentTimeout);
    }

    // Under 100 ms a timeout would race every healthy reply; over a day nobody is waiting any more.
    static bool Invalid(TimeSpan timeout) => timeout < TimeSpan.FromMilliseconds(100) || timeout > TimeSpan.FromDays(1);

    static ValidationResult Fail(string setting, TimeSpan value) =>
        new($"{Section}:{setting} must be from 00:00:00.1 to 1.00:00:00, not {value}.", [$"{Section}:{setting}"]);
}
