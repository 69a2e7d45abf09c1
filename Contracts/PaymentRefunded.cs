namespace SagaEngine.Contracts;

/// <summary>The order holds no money any more: its charge was given back (or it was never charged). Sent however often the refund is asked for.</summary>
public record PaymentRefunded(Guid OrderId);
