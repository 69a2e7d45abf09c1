using SagaEngine.Tests.Kafka.Messages;

namespace SagaEngine.Tests.Kafka.Consumers;

/// <summary>What the test consumers do besides recording: fail on poison, wait at a gate, count concurrency.</summary>
public sealed class PingBehaviour
{
    public const string Poison = "poison";

    /// <summary>A ping whose text is this always throws an <see cref="ArgumentException"/>: a permanent fault.</summary>
    public const string Invalid = "invalid";

    readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    int _inFlight;
    int _maxInFlight;

    /// <summary>While false, a ping whose text is <see cref="Poison"/> throws.</summary>
    public bool PoisonFixed { get; set; }

    /// <summary>While true, every ping waits until <see cref="OpenGate"/>.</summary>
    public bool Gated { get; set; }

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public void OpenGate() => _gate.TrySetResult();

    public async Task Enter(Ping ping)
    {
        var inFlight = Interlocked.Increment(ref _inFlight);
        int max;
        while (inFlight > (max = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, inFlight, max) != max)
        {
        }

        if (Gated)
            await _gate.Task;
    }

    public void Leave(Ping ping)
    {
        Interlocked.Decrement(ref _inFlight);
        if (ping.Text == Poison && !PoisonFixed)
            throw new InvalidOperationException($"Ping {ping.Key}/{ping.Sequence} is poison.");
        if (ping.Text == Invalid)
            throw new ArgumentException($"Ping {ping.Key}/{ping.Sequence} is invalid.", nameof(ping));
    }
}
