using SagaEngine.Host.Kafka.Consuming;

namespace SagaEngine.Host.Kafka.Monitoring;

/// <summary>The cluster this host uses and its topics.</summary>
/// <param name="BootstrapServers">The address clients connect to.</param>
/// <param name="Embedded">True when the cluster is the in-memory embedded broker of this process.</param>
/// <param name="Brokers">How many brokers the cluster reports.</param>
/// <param name="ConfiguredPartitions">Kafka:Partitions, the partition count this host creates topics with.</param>
/// <param name="Topics">Every topic of the cluster except its internal ones.</param>
/// <param name="TopicsWithFewerPartitions">Configured topics that exist with fewer partitions than configured: used as they are, but fewer consumers can share them.</param>
/// <param name="MissingTopics">Configured topics the cluster does not have.</param>
public sealed record KafkaOverview(
    string BootstrapServers,
    bool Embedded,
    int Brokers,
    int ConfiguredPartitions,
    IReadOnlyList<TopicView> Topics,
    IReadOnlyList<string> TopicsWithFewerPartitions,
    IReadOnlyList<string> MissingTopics);

/// <param name="Name">The topic.</param>
/// <param name="Partitions">How many partitions it has.</param>
/// <param name="ConfiguredPartitions">How many this host would create it with; null for a topic its configuration does not name.</param>
/// <param name="FewerPartitionsThanConfigured">True when it has fewer partitions than configured.</param>
public sealed record TopicView(string Name, int Partitions, int? ConfiguredPartitions, bool FewerPartitionsThanConfigured);

/// <param name="Groups">One entry per configured endpoint.</param>
public sealed record ConsumerGroupsView(IReadOnlyList<ConsumerGroupView> Groups);

/// <summary>One configured endpoint's consumer group.</summary>
/// <param name="Group">The consumer group.</param>
/// <param name="Endpoint">The logical endpoint that consumes in it.</param>
/// <param name="Topics">The topics it consumes.</param>
/// <param name="Lag">Records produced to its partitions and not yet committed as processed, over all partitions.</param>
/// <param name="Partitions">Offsets and lag per partition.</param>
/// <param name="MembersSource">"broker" when the cluster described the group; "this-process" when it cannot (the embedded broker), so only this host's own members are listed.</param>
/// <param name="Members">The consumers in the group and their partitions.</param>
/// <param name="Records">What this host's endpoint did with its records since it started; null when the endpoint does not run here.</param>
public sealed record ConsumerGroupView(
    string Group,
    string Endpoint,
    IReadOnlyList<string> Topics,
    long Lag,
    IReadOnlyList<PartitionLagView> Partitions,
    string MembersSource,
    IReadOnlyList<GroupMemberView> Members,
    EndpointCountersSnapshot? Records);

/// <param name="Topic">The topic.</param>
/// <param name="Partition">The partition number.</param>
/// <param name="CommittedOffset">The next offset the group will read; null when it has committed nothing yet.</param>
/// <param name="HighWatermark">The offset the next record produced to the partition will get.</param>
/// <param name="Lag">HighWatermark minus CommittedOffset (minus the oldest retained offset when nothing is committed).</param>
public sealed record PartitionLagView(string Topic, int Partition, long? CommittedOffset, long HighWatermark, long Lag);

/// <param name="MemberId">The member id the group coordinator gave it.</param>
/// <param name="ClientId">The client id it connected with.</param>
/// <param name="Host">Where it runs.</param>
/// <param name="Assignment">Its partitions, as "topic[partition]".</param>
public sealed record GroupMemberView(string MemberId, string ClientId, string? Host, IReadOnlyList<string> Assignment);
