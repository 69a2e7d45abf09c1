using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace SagaEngine.Host.Kafka.Clients;

/// <summary>
/// The host's one admin client and one unsubscribed consumer for reading watermarks, created on first
/// use. Both work against the embedded broker for metadata, committed offsets and watermarks; the
/// embedded broker does not support creating topics or describing groups through them.
/// </summary>
public sealed class KafkaAdmin(KafkaClientConfigs configs, ILoggerFactory loggers) : IDisposable
{
    /// <summary>Never joined: a consumer needs a group id, but watermark queries do not use it.</summary>
    const string ProbeGroup = "sagaengine-watermark-probe";

    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    readonly ILogger _logger = loggers.CreateLogger(LibrdkafkaLogging.Category);
    readonly Lock _lock = new();
    IAdminClient? _admin;
    IConsumer<byte[], byte[]>? _probe;

    public IAdminClient Client
    {
        get
        {
            lock (_lock)
                return _admin ??= new AdminClientBuilder(configs.Admin("sagaengine-admin"))
                    .SetLogHandler((_, m) => LibrdkafkaLogging.Log(_logger, m))
                    .SetErrorHandler((c, e) => LibrdkafkaLogging.Error(_logger, c.Name, e))
                    .Build();
        }
    }

    /// <summary>The oldest retained offset and the offset the next record will get.</summary>
    public WatermarkOffsets QueryWatermarks(TopicPartition partition)
    {
        IConsumer<byte[], byte[]> probe;
        lock (_lock)
            probe = _probe ??= new ConsumerBuilder<byte[], byte[]>(configs.Consumer(ProbeGroup, "sagaengine-watermarks"))
                .SetLogHandler((_, m) => LibrdkafkaLogging.Log(_logger, m))
                .SetErrorHandler((c, e) => LibrdkafkaLogging.Error(_logger, c.Name, e))
                .Build();
        return probe.QueryWatermarkOffsets(partition, RequestTimeout);
    }

    /// <summary>
    /// The offset the next record of each partition will get, in one request per leader rather than one
    /// per partition (as <see cref="QueryWatermarks"/> would make).
    /// </summary>
    public IReadOnlyDictionary<TopicPartition, long> EndOffsets(IReadOnlyCollection<TopicPartition> partitions, TimeSpan timeout)
    {
        var specs = partitions.Select(p => new TopicPartitionOffsetSpec { TopicPartition = p, OffsetSpec = OffsetSpec.Latest() });
        // Blocks the caller, a consume loop's own thread; the request's own timeout ends it first.
        var listing = Client.ListOffsetsAsync(specs, new ListOffsetsOptions { RequestTimeout = timeout })
            .WaitAsync(timeout + timeout).GetAwaiter().GetResult();
        return listing.ResultInfos.ToDictionary(r => r.TopicPartitionOffsetError.TopicPartition, r => r.TopicPartitionOffsetError.Offset.Value);
    }

    /// <summary>Partition counts of every topic the cluster has (topics it reports an error for are left out).</summary>
    public IReadOnlyDictionary<string, int> PartitionCounts() =>
        Client.GetMetadata(RequestTimeout).Topics
            .Where(t => t.Error.Code == ErrorCode.NoError)
            .ToDictionary(t => t.Topic, t => t.Partitions.Count);

    public void Dispose()
    {
        lock (_lock)
        {
            _probe?.Dispose();
            _admin?.Dispose();
            _probe = null;
            _admin = null;
        }
    }
}
