using System.Text;
using Confluent.Kafka;
using SagaEngine.Host.Kafka.Clients;

namespace SagaEngine.Host.Kafka.Producing;

/// <summary>The host's one Kafka producer, created on first use (by then the embedded broker is running).</summary>
public sealed class KafkaProducer : IKafkaProducer, IDisposable
{
    /// <summary>How long to let librdkafka drain its queue when it is full and none of the caller's records are in it.</summary>
    static readonly TimeSpan QueueFullWait = TimeSpan.FromMilliseconds(100);

    readonly Lazy<IProducer<string, byte[]>> _producer;
    readonly ProducedHere? _produced;

    public KafkaProducer(KafkaClientConfigs configs, ILoggerFactory loggers, ProducedHere? produced = null)
    {
        _produced = produced;
        var logger = loggers.CreateLogger(LibrdkafkaLogging.Category);
        _producer = new Lazy<IProducer<string, byte[]>>(() =>
            new ProducerBuilder<string, byte[]>(configs.Producer("sagaengine-producer"))
                .SetLogHandler((_, m) => LibrdkafkaLogging.Log(logger, m))
                .SetErrorHandler((p, e) => LibrdkafkaLogging.Error(logger, p.Name, e))
                .Build());
    }

    IProducer<string, byte[]> Producer => _producer.Value;

    public async Task<KafkaDelivery> Produce(KafkaRecord record, CancellationToken cancellationToken = default)
    {
        var delivery = (await ProduceBatch([record], cancellationToken))[0];
        return delivery.Delivered ? delivery : throw new KafkaProduceException(delivery);
    }

    public async Task<TopicPartitionOffset> ProduceCopy(string topic, Message<string, byte[]> message,
        CancellationToken cancellationToken = default)
    {
        var copy = (await Producer.ProduceAsync(topic, message, cancellationToken)).TopicPartitionOffset;
        _produced?.Notify();
        return copy;
    }

    public async Task<IReadOnlyList<KafkaDelivery>> ProduceBatch(IReadOnlyList<KafkaRecord> records,
        CancellationToken cancellationToken = default)
    {
        // All are handed to librdkafka first, in order, so they travel in batches; then all are awaited.
        // A record librdkafka refuses at once (too large, say) keeps the later records of its key back.
        var pending = new Task<DeliveryResult<string, byte[]>>[records.Count];
        var refusedKeys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < records.Count; i++)
        {
            if (refusedKeys.Contains(records[i].Key))
            {
                pending[i] = HeldBack;
                continue;
            }
            pending[i] = await Enqueue(records[i], pending.AsMemory(0, i), cancellationToken);
            if (pending[i].IsFaulted)
                refusedKeys.Add(records[i].Key);
        }

        try
        {
            await Task.WhenAll(pending);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Each record's own outcome is read below.
        }
        _produced?.Notify();

        cancellationToken.ThrowIfCancellationRequested();
        return records.Select((record, i) => pending[i] == HeldBack ? KafkaDelivery.Held(record) : Outcome(record, pending[i])).ToList();
    }

    /// <summary>Stands for a record not produced because an earlier one of its key was refused at once.</summary>
    static readonly Task<DeliveryResult<string, byte[]>> HeldBack = Task.FromResult(new DeliveryResult<string, byte[]>());

    async Task<Task<DeliveryResult<string, byte[]>>> Enqueue(KafkaRecord record,
        ReadOnlyMemory<Task<DeliveryResult<string, byte[]>>> earlier, CancellationToken cancellationToken)
    {
        while (true)
        {
            var delivery = Producer.ProduceAsync(record.Topic, ToMessage(record), cancellationToken);
            if (!IsQueueFull(delivery))
                return delivery;

            // librdkafka's local queue is full. Records after this one are not handed over yet, so
            // waiting here and trying again keeps their order.
            var oldest = FirstIncomplete(earlier.Span);
            if (oldest is not null)
                await Task.WhenAny(oldest);
            else
                await Task.Run(() => Producer.Flush(QueueFullWait), cancellationToken);
        }
    }

    static Task? FirstIncomplete(ReadOnlySpan<Task<DeliveryResult<string, byte[]>>> tasks)
    {
        foreach (var task in tasks)
            if (!task.IsCompleted)
                return task;
        return null;
    }

    static bool IsQueueFull(Task task) =>
        task is { IsFaulted: true, Exception.InnerException: ProduceException<string, byte[]> { Error.Code: ErrorCode.Local_QueueFull } };

    static KafkaDelivery Outcome(KafkaRecord record, Task<DeliveryResult<string, byte[]>> delivery) => delivery.Status switch
    {
        TaskStatus.RanToCompletion => KafkaDelivery.Acknowledged(record, delivery.Result.Partition.Value, delivery.Result.Offset.Value),
        TaskStatus.Faulted when delivery.Exception!.InnerException is ProduceException<string, byte[]> e =>
            KafkaDelivery.Failed(record, $"{e.Error.Code}: {e.Error.Reason}"),
        TaskStatus.Faulted => KafkaDelivery.Failed(record, delivery.Exception!.InnerException!.Message),
        _ => KafkaDelivery.Failed(record, "Delivery was not awaited to the end.")
    };

    static Message<string, byte[]> ToMessage(KafkaRecord record)
    {
        var headers = new Headers();
        foreach (var (name, value) in record.Headers)
            headers.Add(name, Encoding.UTF8.GetBytes(value));
        return new Message<string, byte[]> { Key = record.Key, Value = record.Body, Headers = headers };
    }

    public void Dispose()
    {
        // Records not yet acknowledged are dropped; their callers were not told they were delivered.
        if (_producer.IsValueCreated)
            _producer.Value.Dispose();
    }
}
