namespace SagaEngine.Tests.Host;

/// <summary>
/// OpenTelemetry's meter provider listens to meters by name, so it merges the same-named instruments of
/// every host in the test process into one metric, and drops that metric from <c>/metrics</c> as soon as
/// any of those hosts stops and disposes its instruments. A spec that reads <c>/metrics</c> therefore runs
/// with no other host starting or stopping beside it. (A real process has one host: nothing to isolate.)
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsAlone
{
    public const string Name = "metrics: no other host in the process";
}
