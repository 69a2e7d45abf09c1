using Confluent.Kafka;
using Microsoft.Extensions.Options;
using SagaEngine.Host.Kafka.Configuration;

namespace SagaEngine.Host.Kafka.Clients;

/// <summary>The librdkafka settings of every client this host creates, from <see cref="KafkaOptions"/>.</summary>
public sealed class KafkaClientConfigs(KafkaCluster cluster, IOptions<KafkaOptions> options)
{
    /// <summary>The embedded broker does not answer a waiting fetch when data arrives; a short wait keeps hops fast.</summary>
    public const int EmbeddedFetchWaitMaxMs = 10;

    KafkaOptions Options => options.Value;

    /// <summary>Whether the clients talk to the embedded broker, which answers a waiting fetch only when its wait is over.</summary>
    public bool IsEmbedded => cluster.IsEmbedded;

    public ProducerConfig Producer(string clientId)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            ClientId = clientId,
            // Exactly one copy of each record per partition, in the order produced, however often a
            // request is retried; acknowledged only once every in-sync replica has it.
            EnableIdempotence = true,
            Acks = Acks.All,
            MessageTimeoutMs = Options.ProducerMessageTimeoutMs,
            // No wait for more records before a request: the relay hands its rows over in batches already, and
            // librdkafka's default 5 ms was paid on each of an order's six hops (p99 at half our saturation rate,
            // three pairs back to back: 269, 221, 289 ms with it, 205, 234, 232 without; no change at saturation).
            // Kafka:Producer:linger.ms still overrides it.
            LingerMs = 0
        };
        return Apply(config, Options.Producer);
    }

    /// <param name="groupId">Its consumer group.</param>
    /// <param name="clientId">Its name in the broker's logs and metrics.</param>
    /// <param name="embeddedFetchWaitMaxMs">
    /// How long this consumer's fetches wait on the embedded broker unless <c>Kafka:FetchWaitMaxMs</c> is set: longer for one
    /// that may trail its records a little (a read model), since every fetch of an idle consumer costs both sides CPU.
    /// </param>
    public ConsumerConfig Consumer(string groupId, string clientId, int? embeddedFetchWaitMaxMs = null)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            GroupId = groupId,
            ClientId = clientId,
            // The endpoint stores a record's offset itself once the record has been processed; librdkafka
            // then commits what is stored on this interval (and the endpoint on revocation and shutdown).
            EnableAutoOffsetStore = false,
            EnableAutoCommit = true,
            AutoCommitIntervalMs = Options.CommitIntervalMs,
            // A group's first member starts at the beginning: nothing produced before it started is skipped.
            AutoOffsetReset = AutoOffsetReset.Earliest,
            FetchWaitMaxMs = Options.FetchWaitMaxMs ?? (cluster.IsEmbedded ? embeddedFetchWaitMaxMs ?? EmbeddedFetchWaitMaxMs : null),
            GroupProtocol = GroupProtocol
        };
        // Either way a rebalance moves only the partitions that change owner, each revoked (its record
        // in hand finished, its offset committed) before its next owner starts. With KIP-848 the broker
        // chooses the assignment; with the classic protocol the cooperative assignor does.
        if (config.GroupProtocol == Confluent.Kafka.GroupProtocol.Classic)
            config.PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky;
        return Apply(config, Options.Consumer);
    }

    public GroupProtocol GroupProtocol =>
        Options.GroupProtocol ?? (cluster.IsEmbedded ? Confluent.Kafka.GroupProtocol.Consumer : Confluent.Kafka.GroupProtocol.Classic);

    public AdminClientConfig Admin(string clientId) =>
        Apply(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers, ClientId = clientId }, new Dictionary<string, string>());

    T Apply<T>(T config, Dictionary<string, string> specific) where T : ClientConfig
    {
        foreach (var (key, value) in Options.Client.Concat(specific))
            config.Set(key, value);
        return config;
    }
}
