using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Options;
using SagaEngine.Host.Kafka.Clients;
using SagaEngine.Host.Kafka.Configuration;
using SagaEngine.Host.Kafka.Consuming;

namespace SagaEngine.Host.Kafka.GroupReset;

/// <summary>
/// Replays from retention (or skips ahead) for a consumer group: this host's own members of the group move
/// their partitions, each on its own consuming thread between two polls (records in hand finish first), and
/// commit the new offsets; then they read on from there. Refused when members outside this host are active,
/// since they would go on from where they are and commit over the move. A real cluster says who the members
/// are; the embedded broker cannot describe groups, so there every partition of the group's topics must be
/// owned by a member of this host: a partition owned elsewhere (or by no one, mid-rebalance) means the host
/// cannot vouch for the group.
/// </summary>
public sealed class ConsumerGroupReset(
    KafkaCluster cluster,
    KafkaAdmin admin,
    KafkaClientConfigs configs,
    IOptions<KafkaOptions> options,
    KafkaEndpointRegistry endpoints,
    ConsumerGroupMembers members,
    ILogger<ConsumerGroupReset> logger)
{
    static readonly TimeSpan MoveTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The configured groups: every endpoint's (projections included), with the topics its members read.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Groups =>
        options.Value.Endpoints.Values.GroupBy(e => e.Group, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.SelectMany(e => e.Topics).Distinct().ToList(), StringComparer.Ordinal);

    public async Task<ResetResult> Reset(string group, ResetTarget target, CancellationToken cancellationToken)
    {
        if (!Groups.TryGetValue(group, out var topics))
            return ResetResult.Refused(ResetRefusal.UnknownGroup, $"No consumer group '{group}' is configured under Kafka:Endpoints.");

        var counts = admin.PartitionCounts();
        var partitions = topics.SelectMany(t => Enumerable.Range(0, counts.GetValueOrDefault(t)).Select(p => new TopicPartition(t, p))).ToList();
        var local = Members(group);
        if (await WhyOthersMayBeActive(group, partitions, local, cancellationToken) is { } outsiders)
            return ResetResult.Refused(ResetRefusal.OtherMembersActive, outsiders);

        var targets = await Task.Run(() => Targets(partitions, target), cancellationToken);
        var byMember = local.ToDictionary(m => m,
            m => (IReadOnlyDictionary<TopicPartition, long>)m.Membership.Assignment.Where(targets.ContainsKey).ToDictionary(p => p, p => targets[p]));
        foreach (var (member, theirs) in byMember)
            if (await member.WhyNotMove(theirs, cancellationToken) is { } reason)
                return ResetResult.Refused(ResetRefusal.MemberRefused, reason);

        var moved = new List<PartitionMove>();
        foreach (var (member, theirs) in byMember.Where(m => m.Value.Count > 0))
        {
            var before = await member.Move(theirs, cancellationToken).WaitAsync(MoveTimeout, cancellationToken);
            moved.AddRange(theirs.Select(t => new PartitionMove(t.Key.Topic, t.Key.Partition.Value, before.GetValueOrDefault(t.Key), t.Value, member.Name)));
        }
        logger.LogWarning("Consumer group {Group} was reset to {Target}: {Moves}", group, target.Text,
            moved.Select(m => $"{m.Topic}[{m.Partition}] {m.OldOffset?.ToString() ?? "-"} -> {m.NewOffset}"));
        return new ResetResult(null, null, moved.OrderBy(m => m.Topic, StringComparer.Ordinal).ThenBy(m => m.Partition).ToList());
    }

    List<IConsumerGroupMember> Members(string group) =>
        endpoints.Running.Where(e => e.Topology.Group == group).Select(e => (IConsumerGroupMember)new EndpointGroupMember(e))
            .Concat(members.InGroup(group)).ToList();

    /// <summary>Null when this host's members are the group's only active ones; otherwise why not.</summary>
    async Task<string?> WhyOthersMayBeActive(string group, List<TopicPartition> partitions, List<IConsumerGroupMember> local,
        CancellationToken cancellationToken)
    {
        if (!cluster.IsEmbedded)
        {
            var ours = local.Select(m => m.Membership.MemberId).ToHashSet();
            try
            {
                var described = await admin.Client.DescribeConsumerGroupsAsync([group],
                    new DescribeConsumerGroupsOptions { RequestTimeout = KafkaAdmin.RequestTimeout });
                var others = described.ConsumerGroupDescriptions.SelectMany(g => g.Members).Where(m => !ours.Contains(m.ConsumerId)).ToList();
                if (others.Count > 0)
                    return $"Members of '{group}' outside this host are active: {string.Join(", ", others.Select(m => $"{m.ClientId} on {m.Host}"))}. " +
                           "Stop them (or reset from the host they run in) and try again.";
            }
            catch (KafkaException e)
            {
                logger.LogDebug("The cluster could not describe group {Group} ({Reason}); judging by partition ownership", group, e.Error.Reason);
            }
        }

        var owned = local.SelectMany(m => m.Membership.Assignment).ToHashSet();
        var notHere = partitions.Where(p => !owned.Contains(p)).ToList();
        if (notHere.Count == 0)
            return null;
        return $"{notHere.Count} of the {partitions.Count} partitions of '{group}' are not owned by a member in this host " +
               $"({string.Join(", ", notHere.Take(6).Select(p => $"{p.Topic}[{p.Partition.Value}]"))}{(notHere.Count > 6 ? ", …" : "")}): " +
               "members elsewhere may be active, or the group is rebalancing. " +
               (cluster.IsEmbedded ? "The embedded broker cannot describe groups, so this host judges by which partitions its own members own. " : "") +
               "Reset from a host whose members own all of them, with the others stopped.";
    }

    Dictionary<TopicPartition, long> Targets(List<TopicPartition> partitions, ResetTarget target)
    {
        using var byTime = target is ResetTarget.AtTime ? new OffsetsByTime(configs, logger) : null;
        return partitions.ToDictionary(p => p, p =>
        {
            var watermarks = admin.QueryWatermarks(p);
            return target switch
            {
                ResetTarget.Earliest => watermarks.Low.Value,
                ResetTarget.Latest => watermarks.High.Value,
                ResetTarget.AtTime at => byTime!.OffsetFor(p, at.Utc, watermarks),
                _ => throw new ArgumentOutOfRangeException(nameof(target), target, null)
            };
        });
    }
}

public enum ResetRefusal
{
    UnknownGroup,
    OtherMembersActive,
    MemberRefused
}

/// <param name="Refusal">Why the reset was refused; null when it was done.</param>
/// <param name="Reason">What to do about a refusal.</param>
/// <param name="Moves">Each partition's offset before and after, and the member of this host that moved it.</param>
public sealed record ResetResult(ResetRefusal? Refusal, string? Reason, IReadOnlyList<PartitionMove> Moves)
{
    public static ResetResult Refused(ResetRefusal refusal, string reason) => new(refusal, reason, []);
}

/// <param name="Topic">The topic.</param>
/// <param name="Partition">The partition.</param>
/// <param name="OldOffset">The next offset the group would have processed; null when it had none.</param>
/// <param name="NewOffset">The next offset it processes now.</param>
/// <param name="Member">The endpoint or projection of this host that owns the partition.</param>
public sealed record PartitionMove(string Topic, int Partition, long? OldOffset, long NewOffset, string Member);
