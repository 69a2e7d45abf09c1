using System.Collections.Concurrent;
using SagaEngine.Host.Kafka.Consuming;

namespace SagaEngine.Tests.Kafka.Consumers;

/// <summary>One handler invocation: what arrived, where from, and whether it was consumed.</summary>
public sealed record Consumed(
    string Host,
    string MessageType,
    Guid Id,
    string Key,
    int Sequence,
    string? Text,
    Guid? MessageId,
    Guid? CorrelationId,
    int? RedeliveryCount,
    KafkaRecordContext Record,
    bool Succeeded,
    long Order);

/// <summary>Every invocation of the test consumers, shared by all the hosts of one test.</summary>
public sealed class ConsumedLog
{
    readonly ConcurrentQueue<Consumed> _entries = new();
    long _order;

    public void Add(Func<long, Consumed> entry) => _entries.Enqueue(entry(Interlocked.Increment(ref _order)));

    /// <summary>Successful consumes only, in the order they happened.</summary>
    public IReadOnlyList<Consumed> Succeeded => _entries.Where(e => e.Succeeded).OrderBy(e => e.Order).ToList();

    public IReadOnlyList<Consumed> All => _entries.OrderBy(e => e.Order).ToList();
}
