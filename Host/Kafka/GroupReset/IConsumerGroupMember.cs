using Confluent.Kafka;

namespace SagaEngine.Host.Kafka.GroupReset;

/// <summary>
/// A consumer of this process that is a member of a consumer group (a Kafka receive endpoint, a
/// projection runner), as a consumer-group reset sees it: it can be asked to move its partitions.
/// </summary>
public interface IConsumerGroupMember
{
    /// <summary>The endpoint or projection it belongs to.</summary>
    string Name { get; }

    string Group { get; }

    /// <summary>Its member id in the group ("" before it joined), client id, and the partitions it owns now.</summary>
    (string MemberId, string ClientId, IReadOnlyList<TopicPartition> Assignment) Membership { get; }

    /// <summary>Why it cannot move these partitions to these offsets; null when it can.</summary>
    Task<string?> WhyNotMove(IReadOnlyDictionary<TopicPartition, long> targets, CancellationToken cancellationToken);

    /// <summary>
    /// On its own consuming thread, between polls: finishes the records in hand, commits the targets as
    /// the group's offsets, continues reading from them. Returns where each partition stood before.
    /// </summary>
    Task<IReadOnlyDictionary<TopicPartition, long?>> Move(IReadOnlyDictionary<TopicPartition, long> targets, CancellationToken cancellationToken);
}
