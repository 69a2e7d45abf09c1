namespace SagaEngine.Tests.Kafka.Consumers;

/// <summary>Which test host a consumer ran in.</summary>
public sealed record HostName(string Value);
