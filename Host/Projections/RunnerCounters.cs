using SagaEngine.Host.Projections.Applying;

namespace SagaEngine.Host.Projections;

/// <summary>What one runner has done since it started.</summary>
sealed class RunnerCounters
{
    long _applied;
    long _duplicates;
    long _held;
    long _gaps;
    long _replayed;
    long _unreadable;
    long _invalid;
    long _conflicts;
    long _failures;
    long _lastEventTicks;

    public void Add(BatchResult result)
    {
        Interlocked.Add(ref _applied, result.Applied);
        Interlocked.Add(ref _duplicates, result.Duplicates);
        Interlocked.Add(ref _held, result.Held);
        Interlocked.Add(ref _gaps, result.Gaps.Sum(g => (long)g.Gap.Count));
        Interlocked.Add(ref _replayed, result.Replayed);
        if (result.NewestEventAt is { } at)
        {
            long seen;
            while (at.Ticks > (seen = Interlocked.Read(ref _lastEventTicks)))
                if (Interlocked.CompareExchange(ref _lastEventTicks, at.Ticks, seen) == seen)
                    break;
        }
    }

    public void Unreadable() => Interlocked.Increment(ref _unreadable);

    public void Invalid() => Interlocked.Increment(ref _invalid);

    public void Conflict() => Interlocked.Increment(ref _conflicts);

    public void Failure() => Interlocked.Increment(ref _failures);

    public RunnerCountersSnapshot Snapshot()
    {
        var ticks = Interlocked.Read(ref _lastEventTicks);
        return new RunnerCountersSnapshot(Interlocked.Read(ref _applied), Interlocked.Read(ref _duplicates), Interlocked.Read(ref _held),
            Interlocked.Read(ref _gaps), Interlocked.Read(ref _replayed), Interlocked.Read(ref _unreadable), Interlocked.Read(ref _invalid), Interlocked.Read(ref _conflicts),
            Interlocked.Read(ref _failures), ticks == 0 ? null : new DateTime(ticks, DateTimeKind.Utc));
    }
}

/// <param name="Applied">Events applied.</param>
/// <param name="Duplicates">Events dropped because their sequence number was applied (or held) already.</param>
/// <param name="Held">Events held ahead of a gap.</param>
/// <param name="GapsGivenUp">Sequence numbers given up on after <c>Projections:GapTimeout</c>.</param>
/// <param name="Replayed">Records read again after a consumer-group reset and passed over (applied before).</param>
/// <param name="Unreadable">Records dead-lettered because they could not be read.</param>
/// <param name="Invalid">Records dead-lettered because their event breaks its contract's rules.</param>
/// <param name="Conflicts">Batches applied again because another member changed the same rows first.</param>
/// <param name="Failures">Batches that failed and were read again after a back-off.</param>
/// <param name="LastEventAt">When the latest event it applied happened.</param>
public sealed record RunnerCountersSnapshot(
    long Applied, long Duplicates, long Held, long GapsGivenUp, long Replayed, long Unreadable, long Invalid, long Conflicts, long Failures, DateTime? LastEventAt);
