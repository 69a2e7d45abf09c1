using System.ComponentModel.DataAnnotations;

namespace SagaEngine.Sagas;

/// <summary>Settings under <c>Saga</c>: how long the order waits for each service before giving up on it.</summary>
public class OrderSagaOptions : IValidatableObject
{
    public const string Section = "Saga";

    public const int MaxCompensationRetries = 10;

    /// <summary>From sending <c>ReserveInventory</c> until the order gives up on inventory (<c>inventory-timeout</c>) and compensates.</summary>
    public TimeSpan InventoryTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>From sending <c>ChargePayment</c> until the order gives up on payment (<c>payment-timeout</c>) and compensates.</summary>
    public TimeSpan PaymentTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long the order waits for its compensation (<c>InventoryReleased</c>, <c>PaymentRefunded</c>) to be
    /// confirmed before it asks again; each further wait is twice the one before.
    /// </summary>
    public TimeSpan CompensationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many times an unconfirmed compensation is asked for again before the order is <c>CompensationFailed</c>.</summary>
    public int CompensationRetries { get; set; } = 3;

    /// <summary>The wait after the compensation was asked for <paramref name="retriesSoFar"/> + 1 times: doubling, from <see cref="CompensationTimeout"/>.</summary>
    public TimeSpan CompensationWait(int retriesSoFar) => CompensationTimeout * (1L << Math.Clamp(retriesSoFar, 0, MaxCompensationRetries));

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Invalid(InventoryTimeout))
            yield return Fail(nameof(InventoryTimeout), InventoryTimeout);
        if (Invalid(PaymentTimeout))
            yield return Fail(nameof(PaymentTimeout), PaymentTimeout);
        if (Invalid(CompensationTimeout))
            yield return Fail(nameof(CompensationTimeout), CompensationTimeout);
        if (CompensationRetries is < 0 or > MaxCompensationRetries)
            yield return new ValidationResult(
                $"{Section}:{nameof(CompensationRetries)} must be from 0 to {MaxCompensationRetries}, not {CompensationRetries}.",
                [$"{Section}:{nameof(CompensationRetries)}"]);
    }

    // Under 100 ms a timeout would race every healthy reply; over a day nobody is waiting any more.
    static bool Invalid(TimeSpan timeout) => timeout < TimeSpan.FromMilliseconds(100) || timeout > TimeSpan.FromDays(1);

    static ValidationResult Fail(string setting, TimeSpan value) =>
        new($"{Section}:{setting} must be from 00:00:00.1 to 1.00:00:00, not {value}.", [$"{Section}:{setting}"]);
}
