using System.Collections.Concurrent;

namespace SagaEngine.Host.Kafka.GroupReset;

/// <summary>The consumer group members running in this process, whatever kind they are.</summary>
public sealed class ConsumerGroupMembers
{
    readonly ConcurrentDictionary<IConsumerGroupMember, byte> _running = new();

    public IReadOnlyList<IConsumerGroupMember> Running => _running.Keys.ToList();

    public IReadOnlyList<IConsumerGroupMember> InGroup(string group) => _running.Keys.Where(m => m.Group == group).ToList();

    public void Add(IConsumerGroupMember member) => _running.TryAdd(member, 0);

    public void Remove(IConsumerGroupMember member) => _running.TryRemove(member, out _);
}
