namespace SagaEngine.Host.Kafka.Clients;

/// <summary>
/// Tells this host's consumers that it has just produced records: on the embedded broker an endpoint with
/// nothing to read stops fetching (see <c>ConsumeLoop</c>), and what this host produces wakes it at once
/// rather than at its next look.
/// </summary>
public sealed class ProducedHere
{
    /// <summary>Raised after every produce of this host (adding and removing handlers is thread-safe, as for any field-like event).</summary>
    public event Action? Produced;

    public void Notify() => Produced?.Invoke();
}
