using Confluent.Kafka;
using SagaEngine.Host.Kafka.Consuming;

namespace SagaEngine.Host.Kafka.GroupReset;

/// <summary>A Kafka receive endpoint as a consumer-group reset sees it; its inbox makes records read again change nothing.</summary>
sealed class EndpointGroupMember(KafkaReceiveEndpoint endpoint) : IConsumerGroupMember
{
    public string Name => endpoint.Name;

    public string Group => endpoint.Topology.Group;

    public (string MemberId, string ClientId, IReadOnlyList<TopicPartition> Assignment) Membership => endpoint.Membership;

    public Task<string?> WhyNotMove(IReadOnlyDictionary<TopicPartition, long> targets, CancellationToken cancellationToken) =>
        Task.FromResult<string?>(null);

    public Task<IReadOnlyDictionary<TopicPartition, long?>> Move(IReadOnlyDictionary<TopicPartition, long> targets,
        CancellationToken cancellationToken) => endpoint.MoveOffsets(targets);
}
