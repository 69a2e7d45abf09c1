namespace SagaEngine.Host.Api;

/// <summary>Settings under <c>Intake</c>.</summary>
public class IntakeOptions
{
    public const string Section = "Intake";

    /// <summary>How long an <c>Idempotency-Key</c> is remembered; after that it may be used for a new order.</summary>
    public TimeSpan IdempotencyKeyRetention { get; set; } = TimeSpan.FromHours(24);
}
