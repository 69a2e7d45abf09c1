using System.Runtime.InteropServices;

namespace SagaEngine.Host.Kafka.EmbeddedBroker;

/// <summary>
/// The few functions of librdkafka's C API that run its mock cluster. Confluent.Kafka does not expose
/// them, but they are exported by the librdkafka it ships, which <see cref="LibrdkafkaResolver"/> finds.
/// </summary>
static class LibrdkafkaNative
{
    public const string Library = "librdkafka";

    /// <summary><c>rd_kafka_type_t</c>: the handle that owns a mock cluster only needs to be a producer.</summary>
    public const int ProducerType = 0;

    /// <summary><c>RD_KAFKA_CONF_OK</c>.</summary>
    public const int ConfigurationOk = 0;

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    public static extern IntPtr rd_kafka_conf_new();

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    public static extern int rd_kafka_conf_set(IntPtr conf, [MarshalAs(UnmanagedType.LPUTF8Str)] string name,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string value, byte[] errorText, UIntPtr errorTextSize);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    public static extern void rd_kafka_conf_destroy(IntPtr conf);

    /// <summary>Takes ownership of <paramref name="conf"/> only when it succeeds.</summary>
    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    public static extern IntPtr rd_kafka_new(int type, IntPtr conf, byte[] errorText, UIntPtr errorTextSize);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    public static extern void rd_kafka_destroy(IntPtr handle);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    public static extern IntPtr rd_kafka_mock_cluster_new(IntPtr handle, int brokerCount);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    public static extern void rd_kafka_mock_cluster_destroy(IntPtr cluster);

    /// <summary>Returns a string owned by the cluster, valid until it is destroyed.</summary>
    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    public static extern IntPtr rd_kafka_mock_cluster_bootstraps(IntPtr cluster);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    public static extern int rd_kafka_mock_topic_create(IntPtr cluster, [MarshalAs(UnmanagedType.LPUTF8Str)] string topic,
        int partitionCount, int replicationFactor);

    /// <summary>Drops a partition's records before <paramref name="beforeOffset"/>, which becomes its first offset.</summary>
    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    public static extern int rd_kafka_mock_partition_delete_records(IntPtr cluster, [MarshalAs(UnmanagedType.LPUTF8Str)] string topic,
        int partition, long beforeOffset);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    public static extern int rd_kafka_mock_broker_set_down(IntPtr cluster, int brokerId);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    public static extern int rd_kafka_mock_broker_set_up(IntPtr cluster, int brokerId);

    /// <summary>
    /// The array form of <c>rd_kafka_mock_push_request_errors</c>, which is variadic and so cannot be
    /// called portably through P/Invoke.
    /// </summary>
    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    public static extern void rd_kafka_mock_push_request_errors_array(IntPtr cluster, short apiKey, UIntPtr count, int[] errors);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    public static extern void rd_kafka_mock_group_initial_rebalance_delay_ms(IntPtr cluster, int delayMs);

    /// <summary>For groups of the KIP-848 "consumer" protocol: how often members must heartbeat.</summary>
    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    public static extern void rd_kafka_mock_set_group_consumer_heartbeat_interval_ms(IntPtr cluster, int intervalMs);

    /// <summary>For groups of the KIP-848 "consumer" protocol: how long a silent member keeps its partitions.</summary>
    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    public static extern void rd_kafka_mock_set_group_consumer_session_timeout_ms(IntPtr cluster, int timeoutMs);
}
