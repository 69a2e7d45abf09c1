namespace SagaEngine.Bench.Peer;

/// <summary>One run of the peer: what it printed, and its process's CPU over its measured orders.</summary>
/// <param name="CpuMsPerOrder">The peer process's CPU time (every thread: its driver, Kafka client and mock broker, Wolverine) from
/// the end of its warm-up to its result, per measured order; null when it could not be read.</param>
public sealed record PeerRunFigures(int Run, PeerOutput Output, double? CpuMsPerOrder, int ExitCode, IReadOnlyList<string> LastLines)
{
    public bool Passed => ExitCode == 0 && Output.Passed;
}
