using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Confluent.Kafka;

namespace SagaEngine.Host.Kafka.EmbeddedBroker;

/// <summary>
/// librdkafka's mock cluster: a Kafka-protocol server on real TCP ports of 127.0.0.1, with topics,
/// partitions, consumer groups, committed offsets and idempotent producers, all kept in memory.
/// It is for development and tests; production points <c>Kafka:BootstrapServers</c> at a real cluster.
/// Three things differ from a real broker: topics cannot be created through the admin API (use
/// <see cref="CreateTopic"/>), subscribing does not create a topic, and a waiting fetch is not woken
/// when data arrives (consumers need a small <c>fetch.wait.max.ms</c>).
/// </summary>
public sealed class EmbeddedKafkaBroker : IDisposable
{
    /// <summary>
    /// The mock's default (3 s, like Kafka's group.initial.rebalance.delay.ms) makes every new group
    /// wait before its first assignment; in a single-machine broker there are no stragglers to wait for.
    /// </summary>
    const int InitialRebalanceDelayMs = 0;

    /// <summary>
    /// Consumers of the embedded broker use the KIP-848 group protocol, where the broker sets the
    /// heartbeat: a partition changes owner within a couple of heartbeats, so short ones keep joins and
    /// leaves quick (the mock's defaults are 3 s, and 30 s before a silent member's partitions move).
    /// </summary>
    const int GroupHeartbeatIntervalMs = 250;

    const int GroupSessionTimeoutMs = 6000;

    const int ErrorTopicAlreadyExists = (int)ErrorCode.TopicAlreadyExists;

    /// <summary>
    /// The mock's thread serves its request queue and only then empties its wake-up pipe, so a request
    /// queued in between loses its wake-up and waits out the thread's 1 s poll. Requests sent back to
    /// back (a host creating its twenty topics) fell into that gap about one time in three, and a host
    /// start waited seconds for its topics; a request sent a moment after the previous one returned does not.
    /// </summary>
    static readonly TimeSpan RequestSpacing = TimeSpan.FromMilliseconds(1);

    readonly Lock _lock = new();
    IntPtr _handle;
    IntPtr _cluster;
    long _lastRequestEnded;

    EmbeddedKafkaBroker(IntPtr handle, IntPtr cluster, int brokerCount)
    {
        _handle = handle;
        _cluster = cluster;
        BrokerCount = brokerCount;
        BootstrapServers = Marshal.PtrToStringUTF8(LibrdkafkaNative.rd_kafka_mock_cluster_bootstraps(cluster))
                           ?? throw new InvalidOperationException("The mock cluster reported no bootstrap address.");
    }

    /// <summary>The brokers' addresses, "127.0.0.1:port,…", for a client's bootstrap.servers.</summary>
    public string BootstrapServers { get; }

    /// <summary>Brokers are numbered 1 to <see cref="BrokerCount"/>.</summary>
    public int BrokerCount { get; }

    public static EmbeddedKafkaBroker Start(int brokerCount = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokerCount, 1);
        LibrdkafkaResolver.Register();

        var handle = CreateOwnerHandle();
        var cluster = LibrdkafkaNative.rd_kafka_mock_cluster_new(handle, brokerCount);
        if (cluster == IntPtr.Zero)
        {
            LibrdkafkaNative.rd_kafka_destroy(handle);
            throw new InvalidOperationException($"librdkafka could not start a mock cluster of {brokerCount} broker(s).");
        }

        LibrdkafkaNative.rd_kafka_mock_group_initial_rebalance_delay_ms(cluster, InitialRebalanceDelayMs);
        LibrdkafkaNative.rd_kafka_mock_set_group_consumer_heartbeat_interval_ms(cluster, GroupHeartbeatIntervalMs);
        LibrdkafkaNative.rd_kafka_mock_set_group_consumer_session_timeout_ms(cluster, GroupSessionTimeoutMs);
        return new EmbeddedKafkaBroker(handle, cluster, brokerCount);
    }

    /// <summary>Creates a topic; returns false when it already exists (whatever its partition count).</summary>
    public bool CreateTopic(string name, int partitions, int replicationFactor = 1)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(replicationFactor, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(replicationFactor, BrokerCount);

        var error = Request(c => LibrdkafkaNative.rd_kafka_mock_topic_create(c, name, partitions, replicationFactor));
        if (error == ErrorTopicAlreadyExists)
            return false;
        ThrowIfError(error, $"create topic '{name}'");
        return true;
    }

    /// <summary>
    /// Drops a partition's records before <paramref name="offset"/>, as retention does on a real broker;
    /// consumers then find the partition starting there.
    /// </summary>
    public void DeleteRecordsBefore(string topic, int partition, long offset) =>
        Call(c => LibrdkafkaNative.rd_kafka_mock_partition_delete_records(c, topic, partition, offset),
            $"delete the records of {topic} [{partition}] before offset {offset}");

    /// <summary>Makes a broker refuse connections, as if it had crashed; its partitions become unavailable.</summary>
    public void TakeBrokerDown(int brokerId) =>
        Call(c => LibrdkafkaNative.rd_kafka_mock_broker_set_down(c, brokerId), $"take broker {brokerId} down");

    public void BringBrokerUp(int brokerId) =>
        Call(c => LibrdkafkaNative.rd_kafka_mock_broker_set_up(c, brokerId), $"bring broker {brokerId} up");

    /// <summary>
    /// Makes the next requests of one Kafka API (by its protocol key, e.g. 0 = Produce) fail with
    /// these errors, one error per request, whichever broker receives them.
    /// </summary>
    public void PushRequestErrors(short apiKey, params ErrorCode[] errors)
    {
        var codes = errors.Select(e => (int)e).ToArray();
        lock (_lock)
            LibrdkafkaNative.rd_kafka_mock_push_request_errors_array(Cluster, apiKey, (UIntPtr)codes.Length, codes);
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_cluster == IntPtr.Zero)
                return;
            // Stopping is a request to the mock's thread too.
            SpaceFromLastRequest();
            // The owner handle must outlive its cluster.
            LibrdkafkaNative.rd_kafka_mock_cluster_destroy(_cluster);
            LibrdkafkaNative.rd_kafka_destroy(_handle);
            _cluster = IntPtr.Zero;
            _handle = IntPtr.Zero;
        }
    }

    IntPtr Cluster => _cluster != IntPtr.Zero ? _cluster : throw new ObjectDisposedException(nameof(EmbeddedKafkaBroker));

    void Call(Func<IntPtr, int> call, string what) => ThrowIfError(Request(call), what);

    /// <summary>One request to the mock's thread, spaced from the previous one by <see cref="RequestSpacing"/>.</summary>
    int Request(Func<IntPtr, int> call)
    {
        lock (_lock)
        {
            SpaceFromLastRequest();
            try
            {
                return call(Cluster);
            }
            finally
            {
                _lastRequestEnded = Stopwatch.GetTimestamp();
            }
        }
    }

    void SpaceFromLastRequest()
    {
        if (_lastRequestEnded != 0 && Stopwatch.GetElapsedTime(_lastRequestEnded) < RequestSpacing)
            Thread.Sleep(RequestSpacing);
    }

    static void ThrowIfError(int error, string what)
    {
        if (error != 0)
            throw new InvalidOperationException($"The embedded broker could not {what}: {new Error((ErrorCode)error).Reason}");
    }

    /// <summary>A mock cluster runs inside a librdkafka handle; a producer handle with no brokers of its own serves.</summary>
    static IntPtr CreateOwnerHandle()
    {
        var errorText = new byte[512];
        var conf = LibrdkafkaNative.rd_kafka_conf_new();
        // Warnings only: the owner handle has no bootstrap servers and would say so at notice level.
        if (LibrdkafkaNative.rd_kafka_conf_set(conf, "log_level", "4", errorText, (UIntPtr)errorText.Length) != LibrdkafkaNative.ConfigurationOk)
        {
            LibrdkafkaNative.rd_kafka_conf_destroy(conf);
            throw new InvalidOperationException($"librdkafka refused a setting: {Text(errorText)}");
        }

        var handle = LibrdkafkaNative.rd_kafka_new(LibrdkafkaNative.ProducerType, conf, errorText, (UIntPtr)errorText.Length);
        if (handle != IntPtr.Zero)
            return handle;

        LibrdkafkaNative.rd_kafka_conf_destroy(conf);
        throw new InvalidOperationException($"librdkafka could not create a handle for the mock cluster: {Text(errorText)}");
    }

    static string Text(byte[] nulTerminated)
    {
        var end = Array.IndexOf(nulTerminated, (byte)0);
        return Encoding.UTF8.GetString(nulTerminated, 0, end < 0 ? nulTerminated.Length : end);
    }
}
