using SagaEngine.Host.Projections.Applying;

namespace SagaEngine.Tests.Projections;

/// <summary>One stream's admission rule: applied once, in sequence order; held ahead of a gap; given up after the gap timeout.</summary>
public class SequenceGate_Specs
{
    static readonly DateTime T0 = new(2026, 11, 30, 12, 0, 0, DateTimeKind.Utc);
    static readonly TimeSpan GapTimeout = TimeSpan.FromSeconds(30);

    static SequenceGate<string> Feed(int? lastApplied, params int?[] sequences)
    {
        var gate = new SequenceGate<string>(lastApplied);
        foreach (var sequence in sequences)
            gate.Arrive(sequence, $"e{sequence?.ToString() ?? "-"}", T0);
        return gate;
    }

    [Fact]
    public void Should_apply_events_that_arrive_in_order()
    {
        var gate = Feed(null, 1, 2, 3);

        Assert.Equal(["e1", "e2", "e3"], gate.ToApply);
        Assert.Equal(3, gate.LastApplied);
        Assert.Empty(gate.Held);
    }

    [Fact]
    public void Should_drop_a_number_already_applied_as_a_duplicate()
    {
        var gate = Feed(2, 1, 2, 3, 3);

        Assert.Equal(["e3"], gate.ToApply);
        Assert.Equal(["e1", "e2", "e3"], gate.Duplicates);
    }

    [Fact]
    public void Should_hold_an_event_ahead_of_a_gap_and_apply_it_once_the_gap_fills()
    {
        var gate = Feed(1, 3, 4);
        Assert.Empty(gate.ToApply);
        Assert.Equal([3, 4], gate.Held.Select(h => h.Sequence));

        gate.Arrive(2, "e2", T0.AddSeconds(1));

        Assert.Equal(["e2", "e3", "e4"], gate.ToApply);
        Assert.Equal(4, gate.LastApplied);
        Assert.Empty(gate.Held);
    }

    [Fact]
    public void Should_put_reordered_events_back_in_sequence_order()
    {
        var gate = Feed(null, 4, 2, 1, 3);

        Assert.Equal(["e1", "e2", "e3", "e4"], gate.ToApply);
    }

    [Fact]
    public void Should_drop_a_second_copy_of_a_held_event()
    {
        var gate = Feed(1, 3, 3);

        Assert.Single(gate.Held);
        Assert.Equal(["e3"], gate.Duplicates);
    }

    [Fact]
    public void Should_keep_holding_until_the_gap_timeout_has_passed()
    {
        var gate = Feed(1, 3);

        gate.ReleaseOverdue(T0 + GapTimeout - TimeSpan.FromMilliseconds(1), GapTimeout);

        Assert.Empty(gate.ToApply);
        Assert.Empty(gate.GapsGivenUp);
    }

    [Fact]
    public void Should_give_up_the_missing_numbers_after_the_gap_timeout_and_apply_what_followed()
    {
        var gate = Feed(1, 4, 5, 7);

        gate.ReleaseOverdue(T0 + GapTimeout, GapTimeout);

        Assert.Equal(["e4", "e5", "e7"], gate.ToApply);
        Assert.Equal([new GivenUpGap(2, 3), new GivenUpGap(6, 6)], gate.GapsGivenUp);
        Assert.Equal(7, gate.LastApplied);
        Assert.Equal(2, gate.GapsGivenUp[0].Count);
    }

    [Fact]
    public void Should_treat_a_number_given_up_on_that_arrives_late_as_a_duplicate()
    {
        var gate = Feed(1, 3);
        gate.ReleaseOverdue(T0 + GapTimeout, GapTimeout);

        gate.Arrive(2, "e2", T0 + GapTimeout);

        Assert.Equal(["e2"], gate.Duplicates);
        Assert.Equal(["e3"], gate.ToApply);
    }

    [Fact]
    public void Should_apply_an_event_without_a_sequence_number_as_it_arrives()
    {
        var gate = Feed(null, null, null);

        Assert.Equal(["e-", "e-"], gate.ToApply);
        Assert.Null(gate.LastApplied);
    }

    [Fact]
    public void Should_measure_the_gap_timeout_from_when_the_oldest_held_event_was_held()
    {
        var gate = new SequenceGate<string>(1, [new SequenceGate<string>.HeldEntry(3, T0, "e3")]);
        gate.Arrive(5, "e5", T0 + GapTimeout);

        gate.ReleaseOverdue(T0 + GapTimeout, GapTimeout);

        Assert.Equal(["e3"], gate.ToApply);
        Assert.Equal([5], gate.Held.Select(h => h.Sequence));
    }
}
