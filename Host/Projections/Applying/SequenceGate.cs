namespace SagaEngine.Host.Projections.Applying;

/// <summary>
/// One stream's admission rule, as a pure function of what was applied and what arrives: an event whose
/// sequence number is the next one is applied (and then any held events that follow it); one at or below
/// the last applied is a duplicate; one further ahead is held until the gap fills or, once the oldest
/// held event has waited <c>GapTimeout</c>, applied anyway with the missing numbers given up. An event
/// without a sequence number is applied as it arrives.
/// </summary>
public sealed class SequenceGate<T>
{
    readonly SortedDictionary<int, HeldEntry> _held = [];
    readonly List<T> _toApply = [];
    readonly List<T> _duplicates = [];
    readonly List<GivenUpGap> _gaps = [];

    /// <param name="lastApplied">The highest sequence number applied so far; null when none was.</param>
    /// <param name="held">Events held earlier, by sequence number.</param>
    public SequenceGate(int? lastApplied, IEnumerable<HeldEntry>? held = null)
    {
        LastApplied = lastApplied;
        foreach (var entry in held ?? [])
            _held[entry.Sequence] = entry;
    }

    public int? LastApplied { get; private set; }

    /// <summary>What to apply now, in this order.</summary>
    public IReadOnlyList<T> ToApply => _toApply;

    /// <summary>Events to drop: their number was applied already, or one with their number is held.</summary>
    public IReadOnlyList<T> Duplicates => _duplicates;

    /// <summary>What waits ahead of a gap after everything so far.</summary>
    public IReadOnlyCollection<HeldEntry> Held => _held.Values;

    /// <summary>Numbers given up on because the events after them waited too long.</summary>
    public IReadOnlyList<GivenUpGap> GapsGivenUp => _gaps;

    int Next => (LastApplied ?? 0) + 1;

    public void Arrive(int? sequence, T item, DateTime now)
    {
        if (sequence is not { } number)
        {
            _toApply.Add(item);
            return;
        }
        if (number < Next || _held.ContainsKey(number))
        {
            _duplicates.Add(item);
            return;
        }
        if (number > Next)
        {
            _held[number] = new HeldEntry(number, now, item);
            return;
        }
        Apply(number, item);
    }

    /// <summary>
    /// While the oldest held event has waited at least <paramref name="gapTimeout"/>, gives up the numbers
    /// missing before the lowest held one and applies it, with whatever follows it without a gap.
    /// </summary>
    public void ReleaseOverdue(DateTime now, TimeSpan gapTimeout)
    {
        while (_held.Count > 0 && _held.Values.Min(h => h.HeldSince) <= now - gapTimeout)
        {
            var (number, entry) = _held.First();
            _held.Remove(number);
            _gaps.Add(new GivenUpGap(Next, number - 1));
            Apply(number, entry.Item);
        }
    }

    void Apply(int number, T item)
    {
        _toApply.Add(item);
        LastApplied = number;
        while (_held.Remove(Next, out var following))
        {
            _toApply.Add(following.Item);
            LastApplied = following.Sequence;
        }
    }

    public sealed record HeldEntry(int Sequence, DateTime HeldSince, T Item);
}

/// <summary>Sequence numbers <paramref name="From"/> to <paramref name="To"/> of a stream were never applied.</summary>
public readonly record struct GivenUpGap(int From, int To)
{
    public int Count => To - From + 1;
}
