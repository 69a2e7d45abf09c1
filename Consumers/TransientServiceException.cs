namespace SagaEngine.Consumers;

/// <summary>
/// A service's dependency failed in a way that may pass (a provider briefly unavailable): the service
/// policy retries it with back-off instead of failing the message.
/// </summary>
public abstract class TransientServiceException(string message) : Exception(message);
