namespace SagaEngine.Bench;

/// <summary>The benchmark cannot run as asked (host not built, not ready, stock unsuitable); the message says why.</summary>
public sealed class BenchSetupException(string message, Exception? inner = null) : Exception(message, inner);
