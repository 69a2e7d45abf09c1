using System.Diagnostics;

namespace SagaEngine.Bench.Load;

/// <summary>
/// Lets callers through no faster than a given rate, in arrival order of their requests for a slot.
/// Each caller reserves the next free slot and waits for it, so a burst is spread out rather than sent.
/// </summary>
public sealed class Pacer(double perSecond)
{
    readonly long _ticksPerSlot = Math.Max(1, (long)(Stopwatch.Frequency / perSecond));
    long _nextSlot = Stopwatch.GetTimestamp();

    public Task WaitAsync(CancellationToken cancellationToken)
    {
        var now = Stopwatch.GetTimestamp();
        long slot;
        long seen;
        do
        {
            seen = Interlocked.Read(ref _nextSlot);
            slot = Math.Max(now, seen);
        } while (Interlocked.CompareExchange(ref _nextSlot, slot + _ticksPerSlot, seen) != seen);

        var wait = Stopwatch.GetElapsedTime(now, slot);
        return wait >= TimeSpan.FromMilliseconds(1) ? Task.Delay(wait, cancellationToken) : Task.CompletedTask;
    }
}
