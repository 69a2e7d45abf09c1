using Confluent.Kafka;

namespace SagaEngine.Host.Kafka.Producing;

/// <summary>
/// Produces records through one idempotent producer (<c>enable.idempotence</c>, <c>acks=all</c>):
/// every call returns only once the broker has acknowledged each record, and records with the same
/// key keep the order in which they were passed, however often librdkafka retries a request.
/// </summary>
public interface IKafkaProducer
{
    /// <summary>Produces one record; throws <see cref="KafkaProduceException"/> if it could not be delivered.</summary>
    Task<KafkaDelivery> Produce(KafkaRecord record, CancellationToken cancellationToken = default);

    /// <summary>
    /// Produces all records, in the order given, and waits for all of them. Returns one
    /// <see cref="KafkaDelivery"/> per record, in the same order; only those with
    /// <see cref="KafkaDelivery.Delivered"/> are on the broker. Cancelling stops the waiting, not the
    /// delivery: a record may still arrive after an <see cref="OperationCanceledException"/>.
    /// </summary>
    Task<IReadOnlyList<KafkaDelivery>> ProduceBatch(IReadOnlyList<KafkaRecord> records, CancellationToken cancellationToken = default);

    /// <summary>
    /// Produces a record exactly as given: its key (null too), header bytes and body untouched, as a
    /// copy of a consumed record must be. Returns where it was acknowledged; throws
    /// <see cref="ProduceException{TKey,TValue}"/> if it was not, and <see cref="OperationCanceledException"/>
    /// when the wait was cancelled (the record may still arrive).
    /// </summary>
    Task<TopicPartitionOffset> ProduceCopy(string topic, Message<string, byte[]> message, CancellationToken cancellationToken = default);
}
