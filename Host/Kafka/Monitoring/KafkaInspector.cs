using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Options;
using SagaEngine.Host.Kafka.Clients;
using SagaEngine.Host.Kafka.Configuration;
using SagaEngine.Host.Kafka.Consuming;
using SagaEngine.Host.Kafka.GroupReset;

namespace SagaEngine.Host.Kafka.Monitoring;

/// <summary>
/// Reads the cluster's topics and each configured group's committed offsets, watermarks and lag.
/// Verified on the embedded broker: metadata, committed offsets (the admin client's
/// ListConsumerGroupOffsets, with the partitions named) and watermarks work; describing a group does
/// not ("Required feature not supported by broker"), so there only this process's members are known.
/// </summary>
public sealed class KafkaInspector(
    KafkaCluster cluster, KafkaAdmin admin, IOptions<KafkaOptions> options, KafkaEndpointRegistry registry, ConsumerGroupMembers others)
{
    const string MembersFromBroker = "broker";
    const string MembersFromThisProcess = "this-process";

    KafkaOptions Options => options.Value;

    public KafkaOverview Overview()
    {
        var metadata = admin.Client.GetMetadata(KafkaAdmin.RequestTimeout);
        var configured = Options.AllTopics().ToHashSet();
        var topics = metadata.Topics
            .Where(t => t.Error.Code == ErrorCode.NoError && !t.Topic.StartsWith("__", StringComparison.Ordinal))
            .OrderBy(t => t.Topic, StringComparer.Ordinal)
            .Select(t => configured.Contains(t.Topic)
                ? new TopicView(t.Topic, t.Partitions.Count, Options.Partitions, t.Partitions.Count < Options.Partitions)
                : new TopicView(t.Topic, t.Partitions.Count, null, false))
            .ToList();

        return new KafkaOverview(cluster.BootstrapServers, cluster.IsEmbedded, metadata.Brokers.Count, Options.Partitions, topics,
            topics.Where(t => t.FewerPartitionsThanConfigured).Select(t => t.Name).ToList(),
            configured.Except(topics.Select(t => t.Name)).Order(StringComparer.Ordinal).ToList());
    }

    public async Task<ConsumerGroupsView> ConsumerGroups()
    {
        var partitionCounts = admin.PartitionCounts();
        var endpoints = Options.Endpoints.OrderBy(e => e.Key, StringComparer.Ordinal).ToList();
        var brokerMembers = await DescribeMembers(endpoints.Select(e => e.Value.Group).Distinct().ToList());

        var groups = new List<ConsumerGroupView>();
        foreach (var (name, topology) in endpoints)
        {
            var partitions = topology.Topics
                .SelectMany(t => Enumerable.Range(0, partitionCounts.GetValueOrDefault(t)).Select(p => new TopicPartition(t, p)))
                .ToList();
            var lags = await Lags(topology.Group, partitions);
            var local = registry.Running.Where(e => e.Name == name).ToList();
            var members = brokerMembers?.GetValueOrDefault(topology.Group) ?? LocalMembers(topology.Group);

            groups.Add(new ConsumerGroupView(topology.Group, name, topology.Topics, lags.Sum(l => l.Lag), lags,
                brokerMembers is null ? MembersFromThisProcess : MembersFromBroker, members,
                local.Count == 0 ? null : local[0].Counters.Snapshot()));
        }

        return new ConsumerGroupsView(groups);
    }

    async Task<List<PartitionLagView>> Lags(string group, List<TopicPartition> partitions)
    {
        if (partitions.Count == 0)
            return [];

        var results = await admin.Client.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions(group, partitions)],
            new ListConsumerGroupOffsetsOptions { RequestTimeout = KafkaAdmin.RequestTimeout });
        var committed = results.SelectMany(r => r.Partitions).ToDictionary(p => p.TopicPartition, p => p.Offset);

        return partitions.Select(partition =>
        {
            var watermarks = admin.QueryWatermarks(partition);
            long? offset = committed.TryGetValue(partition, out var o) && o.Value >= 0 ? o.Value : null;
            var lag = Math.Max(0, watermarks.High.Value - (offset ?? watermarks.Low.Value));
            return new PartitionLagView(partition.Topic, partition.Partition.Value, offset, watermarks.High.Value, lag);
        }).ToList();
    }

    /// <summary>Every member of each group, from the cluster; null when the cluster cannot describe groups.</summary>
    async Task<Dictionary<string, IReadOnlyList<GroupMemberView>>?> DescribeMembers(List<string> groups)
    {
        if (cluster.IsEmbedded || groups.Count == 0)
            return null;
        try
        {
            var described = await admin.Client.DescribeConsumerGroupsAsync(groups,
                new DescribeConsumerGroupsOptions { RequestTimeout = KafkaAdmin.RequestTimeout });
            return described.ConsumerGroupDescriptions.ToDictionary(g => g.GroupId, g => (IReadOnlyList<GroupMemberView>)g.Members
                .Select(m => new GroupMemberView(m.ConsumerId, m.ClientId, m.Host,
                    m.Assignment?.TopicPartitions.Select(Describe).ToList() ?? []))
                .ToList());
        }
        catch (KafkaException)
        {
            return null;
        }
    }

    List<GroupMemberView> LocalMembers(string group) =>
        registry.Running.Where(e => e.Topology.Group == group)
            .Select(e => e.Membership)
            .Concat(others.InGroup(group).Select(m => m.Membership))
            .Where(m => m.MemberId != "")
            .Select(m => new GroupMemberView(m.MemberId, m.ClientId, Environment.MachineName, m.Assignment.Select(Describe).ToList()))
            .ToList();

    static string Describe(TopicPartition partition) => $"{partition.Topic}[{partition.Partition.Value}]";
}
