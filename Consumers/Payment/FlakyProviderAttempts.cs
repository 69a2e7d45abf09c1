using System.Collections.Concurrent;

namespace SagaEngine.Consumers.Payment;

/// <summary>
/// How often the simulated provider was asked to charge each <c>tok_flaky</c> order. Kept in memory:
/// after a restart an order fails its first attempts again, which a flaky provider may well do.
/// </summary>
public class FlakyProviderAttempts
{
    readonly ConcurrentDictionary<Guid, int> _attempts = new();

    /// <summary>Counts this attempt and returns its number, from 1.</summary>
    public int Next(Guid orderId) => _attempts.AddOrUpdate(orderId, 1, (_, n) => n + 1);

    /// <summary>Forgets a charged order, so the map holds only orders still failing.</summary>
    public void Forget(Guid orderId) => _attempts.TryRemove(orderId, out _);
}
