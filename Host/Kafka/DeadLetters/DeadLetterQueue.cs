using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using SagaEngine.Host.Kafka.Configuration;
using SagaEngine.Host.Kafka.Consuming;
using SagaEngine.Host.Kafka.Monitoring;
using SagaEngine.Host.Kafka.Producing;
using SagaEngine.Host.Schemas;

namespace SagaEngine.Host.Kafka.DeadLetters;

/// <summary>
/// The failure policy of Kafka endpoints. A record that cannot be read, or whose handler failed
/// permanently, is dead-lettered at once; one whose handler keeps failing is tried again after a
/// back-off until <c>MaxDeliveryAttempts</c>, then dead-lettered. Dead-lettering produces the record
/// unchanged, plus <see cref="DeadLetterHeaders"/>, to <see cref="DeadLetterTopic"/>; then lists it in
/// the store; only after both is the record done with. If either fails it is tried again later, so a
/// record is never lost, at worst dead-lettered twice (the store keeps one row per record). A record
/// dead-lettered for what its handler did holds its key (<see cref="DeadLetterFaults.HoldsKey"/>).
/// </summary>
public sealed class DeadLetterQueue(
    IOptions<KafkaOptions> options,
    IKafkaProducer producer,
    IEnumerable<IDeadLetterStore> stores,
    KafkaMetrics metrics,
    ILogger<DeadLetterQueue> logger) : IFailedRecordHandler
{
    readonly FailureClassification _classification = new(options.Value.PermanentExceptionTypes);
    readonly IReadOnlyList<IDeadLetterStore> _stores = stores.ToList();

    public async Task<FailedRecordAction> Handle(FailedRecord failed, CancellationToken cancellationToken)
    {
        var record = failed.Record;
        var maxAttempts = options.Value.MaxDeliveryAttemptsOf(failed.Endpoint);
        if (_classification.Classify(failed, maxAttempts) is not { } fault)
        {
            logger.LogError(failed.Exception,
                "Kafka endpoint {Endpoint} could not process record {Topic}[{Partition}]@{Offset} with key {Key} (attempt {Attempt} of {MaxAttempts}); " +
                "it is tried again later: {Reason}",
                failed.Endpoint, record.Topic, record.Partition.Value, record.Offset.Value, record.Message.Key, failed.Attempt, maxAttempts,
                failed.Reason);
            return FailedRecordAction.RetryLater;
        }

        var deadLetterTopic = DeadLetterTopic.For(record.Topic, failed.Group);
        var at = DateTime.UtcNow;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Value.DeadLetterProduceTimeoutMs);
            var copy = await producer.ProduceCopy(deadLetterTopic, Copy(failed, fault, at), timeout.Token);
            foreach (var store in _stores)
                await store.Add(Row(failed, fault, at, copy), cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogError(e,
                "Kafka endpoint {Endpoint} could not dead-letter record {Topic}[{Partition}]@{Offset} to {DeadLetterTopic}; " +
                "its offset is not stored and it is read again later",
                failed.Endpoint, record.Topic, record.Partition.Value, record.Offset.Value, deadLetterTopic);
            return FailedRecordAction.RetryLater;
        }

        metrics.DeadLettered(record.Topic, failed.Group, fault.Name());
        logger.LogWarning(failed.Exception,
            "Kafka endpoint {Endpoint} dead-lettered record {Topic}[{Partition}]@{Offset} with key {Key} to {DeadLetterTopic} " +
            "after {Attempts} attempt(s) ({Fault}): {Reason}",
            failed.Endpoint, record.Topic, record.Partition.Value, record.Offset.Value, record.Message.Key, deadLetterTopic, failed.Attempt,
            fault.Name(), failed.Reason);
        return fault.HoldsKey() ? FailedRecordAction.SkipAndHoldKey : FailedRecordAction.Skip;
    }

    static Message<string, byte[]> Copy(FailedRecord failed, DeadLetterFault fault, DateTime at)
    {
        var record = failed.Record;
        var headers = DeadLetterRecordHeaders.ToKafka(DeadLetterRecordHeaders.From(record.Message.Headers));
        void Add(string name, string value) => headers.Add(name, Encoding.UTF8.GetBytes(value));

        Add(DeadLetterHeaders.OriginalTopic, record.Topic);
        Add(DeadLetterHeaders.OriginalPartition, record.Partition.Value.ToString(CultureInfo.InvariantCulture));
        Add(DeadLetterHeaders.OriginalOffset, record.Offset.Value.ToString(CultureInfo.InvariantCulture));
        Add(DeadLetterHeaders.ConsumerGroup, failed.Group);
        Add(DeadLetterHeaders.Endpoint, failed.Endpoint);
        Add(DeadLetterHeaders.Fault, fault.Name());
        if (failed.Exception is { } exception)
            Add(DeadLetterHeaders.ExceptionType, Innermost(exception).GetType().FullName ?? "");
        Add(DeadLetterHeaders.ExceptionMessage, failed.Reason);
        Add(DeadLetterHeaders.Attempts, failed.Attempt.ToString(CultureInfo.InvariantCulture));
        Add(DeadLetterHeaders.DeadLetteredAt, at.ToString("O", CultureInfo.InvariantCulture));
        return new Message<string, byte[]> { Key = record.Message.Key, Value = record.Message.Value, Headers = headers };
    }

    static DeadLetter Row(FailedRecord failed, DeadLetterFault fault, DateTime at, TopicPartitionOffset copy) => new()
    {
        Endpoint = failed.Endpoint,
        Group = failed.Group,
        Topic = failed.Record.Topic,
        Partition = failed.Record.Partition.Value,
        Offset = failed.Record.Offset.Value,
        Key = failed.Record.Message.Key,
        Headers = DeadLetterRecordHeaders.Serialize(DeadLetterRecordHeaders.From(failed.Record.Message.Headers)),
        Body = failed.Record.Message.Value,
        SchemaVersion = SchemaVersionHeader.Parse(Header(failed.Record.Message.Headers, SchemaVersionHeader.Name)),
        Fault = fault.Name(),
        ExceptionType = failed.Exception is { } e ? Innermost(e).GetType().FullName : null,
        Reason = failed.Reason,
        Attempts = failed.Attempt,
        DeadLetteredAt = at,
        DeadLetterTopic = copy.Topic,
        DeadLetterPartition = copy.Partition.Value,
        DeadLetterOffset = copy.Offset.Value
    };

    static string? Header(Headers? headers, string name) =>
        headers is not null && headers.TryGetLastBytes(name, out var value) ? Encoding.UTF8.GetString(value ?? []) : null;

    /// <summary>The handler's own exception, not MassTransit's wrapping of it.</summary>
    static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null)
            e = e.InnerException;
        return e;
    }
}
