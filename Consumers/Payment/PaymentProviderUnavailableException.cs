namespace SagaEngine.Consumers.Payment;

/// <summary>The simulated provider did not take the charge this time; trying again may succeed.</summary>
public class PaymentProviderUnavailableException(Guid orderId, int attempt)
    : TransientServiceException($"The payment provider was unavailable for order {orderId} (attempt {attempt}).");
