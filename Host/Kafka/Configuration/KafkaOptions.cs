using Confluent.Kafka;

namespace SagaEngine.Host.Kafka.Configuration;

/// <summary>Settings under <c>Kafka</c>.</summary>
public class KafkaOptions
{
    public const string Section = "Kafka";

    /// <summary>
    /// A real cluster's bootstrap servers ("host:port,host:port"). Empty starts the embedded broker in
    /// this process, which keeps everything in memory: for development and tests only.
    /// </summary>
    public string BootstrapServers { get; set; } = "";

    /// <summary>How many brokers the embedded broker runs; ignored when <see cref="BootstrapServers"/> is set.</summary>
    public int EmbeddedBrokers { get; set; } = 1;

    /// <summary>
    /// Partitions of each topic this host creates. A group can spread one topic's work over at most
    /// this many consumers, and one key's records always stay on one partition, in order.
    /// </summary>
    public int Partitions { get; set; } = 12;

    /// <summary>
    /// How long a real cluster keeps the records of the topics this host creates (their <c>retention.ms</c>):
    /// how far back a consumer group can be reset to replay. Topics that already exist keep their own setting.
    /// The embedded broker uses <see cref="EmbeddedRetentionSeconds"/> instead.
    /// </summary>
    public int RetentionHours { get; set; } = 168;

    /// <summary>
    /// How long the embedded broker keeps a record once every consumer group of this host that reads its topic
    /// has committed past it; 0 keeps records until the broker's own limit (5 MB per partition). The embedded
    /// broker's fetches cost more the more records a partition holds, so a short window keeps a busy host fast;
    /// a group reset to "earliest" or to a time finds only what is kept. Dead-letter topics are kept whole.
    /// </summary>
    public int EmbeddedRetentionSeconds { get; set; } = 10;

    /// <summary>Replicas per partition of created topics; empty means 1 on the embedded broker and the cluster's default on a real one.</summary>
    public short? ReplicationFactor { get; set; }

    /// <summary>
    /// librdkafka's <c>fetch.wait.max.ms</c>. Empty means 10 ms on the embedded broker, which does not
    /// answer a waiting fetch when data arrives, and librdkafka's default (500 ms) on a real broker, which does.
    /// A host that uses a separate <c>kafka-broker</c> process should set 10.
    /// </summary>
    public int? FetchWaitMaxMs { get; set; }

    /// <summary>
    /// The consumer group protocol. Empty means <c>Consumer</c> (KIP-848) on the embedded broker and
    /// <c>Classic</c> (with cooperative rebalancing) on a real one, since KIP-848 needs Kafka 4.0 or later.
    /// The embedded broker handles classic groups poorly: every rebalance waits most of a session
    /// timeout, and commits made while it is rebalancing are refused, so a partition that changes owner
    /// may have records processed twice. A host that uses a separate <c>kafka-broker</c> process should set <c>Consumer</c>.
    /// </summary>
    public GroupProtocol? GroupProtocol { get; set; }

    /// <summary>How often the offsets of processed records are committed; they are also committed when partitions are revoked and at shutdown.</summary>
    public int CommitIntervalMs { get; set; } = 1000;

    /// <summary>
    /// For each endpoint, how many of its partitions are processed at the same time (an endpoint may
    /// override it). Records of one partition are always processed one at a time, in offset order,
    /// so per-key order holds at any value.
    /// </summary>
    public int MaxConcurrentPartitions { get; set; } = 12;

    /// <summary>Records fetched and waiting for their partition's turn; a partition that reaches this is paused until it catches up.</summary>
    public int MaxBufferedRecordsPerPartition { get; set; } = 200;

    /// <summary>
    /// The first wait before a record whose processing failed (after the endpoint's own retry policy)
    /// is tried again; it doubles with each further failure up to <see cref="RetryBackoffMaxMs"/>.
    /// Meanwhile its key is parked (later records of the key wait behind it) and the partition goes on;
    /// where keys cannot be parked, the partition waits.
    /// </summary>
    public int RetryBackoffMs { get; set; } = 1000;

    public int RetryBackoffMaxMs { get; set; } = 30_000;

    /// <summary>
    /// How long the producer keeps trying to deliver a record (librdkafka's <c>message.timeout.ms</c>).
    /// 0, the default, means until it is delivered: through a broker outage records wait and then go
    /// out in their original order, so a retry can never put a key's later record before an earlier one.
    /// </summary>
    public int ProducerMessageTimeoutMs { get; set; }

    /// <summary>
    /// How long the outbox relay waits for the broker to acknowledge a batch before it leaves the batch
    /// pending and lets its database transaction go (the producer still delivers it later).
    /// </summary>
    public int RelayAckTimeoutMs { get; set; } = 5000;

    /// <summary>
    /// A record whose body is larger than this many bytes is dead-lettered unread: a body that big is
    /// not a message of this flow, and reading it would only cost memory.
    /// </summary>
    public int MaxRecordBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// How many times the consume loop tries a record whose handler keeps failing (each attempt after
    /// the handler's own retry policy, with the back-off between them) before it dead-letters it.
    /// An endpoint may override it.
    /// </summary>
    public int MaxDeliveryAttempts { get; set; } = 5;

    /// <summary>
    /// Exception types (full names; subclasses count) that mean the message itself is wrong, so its
    /// record is dead-lettered at the first failure. Empty means
    /// <see cref="DeadLetters.FailureClassification.DefaultPermanentExceptions"/>.
    /// </summary>
    /// <remarks>Null rather than the defaults: configuration binding adds to a list, it does not replace it.</remarks>
    public List<string>? PermanentExceptions { get; set; }

    public IReadOnlyList<string> PermanentExceptionTypes =>
        PermanentExceptions is { Count: > 0 } configured ? configured : DeadLetters.FailureClassification.DefaultPermanentExceptions;

    /// <summary>
    /// How long to wait for the dead-letter topic to acknowledge a record. Past it the record's offset
    /// is not stored and it is read again after a back-off (a late acknowledgement leaves a second copy).
    /// </summary>
    public int DeadLetterProduceTimeoutMs { get; set; } = 10_000;

    /// <summary>Topics to create besides the endpoints' own, for example those this host only produces to.</summary>
    public List<string> Topics { get; set; } = [];

    /// <summary>Logical endpoint name → the topics it consumes and its consumer group.</summary>
    /// <remarks>Names match whatever their case, as configuration keys do.</remarks>
    public Dictionary<string, KafkaEndpointOptions> Endpoints { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Where a published message goes: message type name (the last part of its <c>urn:message:</c>)
    /// → topic. A sent message goes to the first topic of the endpoint it is addressed to.
    /// </summary>
    /// <remarks>Names match whatever their case, as configuration keys do.</remarks>
    public Dictionary<string, string> PublishTopics { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>librdkafka properties for every client, e.g. <c>security.protocol</c> and <c>sasl.*</c> for a real cluster.</summary>
    public Dictionary<string, string> Client { get; set; } = [];

    /// <summary>librdkafka properties for consumers only (applied after the ones this host sets).</summary>
    public Dictionary<string, string> Consumer { get; set; } = [];

    /// <summary>librdkafka properties for the producer only (applied after the ones this host sets).</summary>
    public Dictionary<string, string> Producer { get; set; } = [];

    public bool UsesEmbeddedBroker => string.IsNullOrWhiteSpace(BootstrapServers);

    /// <summary>Every topic this host needs: the endpoints', their dead-letter topics, the published-to and the extra ones, each once.</summary>
    public IReadOnlyList<string> AllTopics() =>
        Endpoints.Values.SelectMany(e => e.Topics).Concat(DeadLetterTopics()).Concat(PublishTopics.Values).Concat(Topics)
            .Distinct(StringComparer.Ordinal).ToList();

    /// <summary>One per endpoint topic and group: <c>&lt;topic&gt;.&lt;group&gt;.dlq</c>.</summary>
    public IEnumerable<string> DeadLetterTopics() =>
        Endpoints.Values.SelectMany(e => e.Topics.Select(t => DeadLetters.DeadLetterTopic.For(t, e.Group)));

    public int MaxDeliveryAttemptsOf(string endpoint) =>
        Endpoints.TryGetValue(endpoint, out var e) && e.MaxDeliveryAttempts is { } attempts ? attempts : MaxDeliveryAttempts;
}
