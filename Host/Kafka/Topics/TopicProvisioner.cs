using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Options;
using SagaEngine.Host.Kafka.Clients;
using SagaEngine.Host.Kafka.Configuration;

namespace SagaEngine.Host.Kafka.Topics;

/// <summary>
/// Makes sure every configured topic exists before any endpoint subscribes (a consumer of a missing
/// topic gets no partitions). On the embedded broker topics are created through the mock cluster's
/// own call; on a real cluster through the admin client, with the configured partition count. A topic
/// that already exists with fewer partitions than configured is kept as it is and reported.
/// </summary>
public sealed class TopicProvisioner(
    KafkaCluster cluster, KafkaAdmin admin, IOptions<KafkaOptions> options, ILogger<TopicProvisioner> logger)
{
    KafkaOptions Options => options.Value;

    long RetentionMs => Options.RetentionHours * 3_600_000L;

    public async Task Provision(CancellationToken cancellationToken)
    {
        var wanted = Options.AllTopics();
        if (wanted.Count == 0)
            return;

        if (cluster.EmbeddedBroker is { } broker)
            foreach (var topic in wanted)
                broker.CreateTopic(topic, Options.Partitions, Options.ReplicationFactor ?? 1);

        var existing = admin.PartitionCounts();
        var missing = wanted.Where(t => !existing.ContainsKey(t)).ToList();
        if (missing.Count > 0)
        {
            await CreateWithAdminClient(missing, cancellationToken);
            existing = admin.PartitionCounts();
        }

        foreach (var topic in wanted)
        {
            if (existing.TryGetValue(topic, out var partitions))
                Report(topic, partitions);
            else
                logger.LogWarning("Kafka topic {Topic} was created but is not in the cluster's metadata yet", topic);
        }
    }

    async Task CreateWithAdminClient(List<string> topics, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var specifications = topics.Select(t => new TopicSpecification
        {
            Name = t,
            NumPartitions = Options.Partitions,
            // -1 asks the cluster for its default replication factor.
            ReplicationFactor = Options.ReplicationFactor ?? -1,
            // How far back a consumer group can be reset to replay.
            Configs = new Dictionary<string, string> { ["retention.ms"] = RetentionMs.ToString(System.Globalization.CultureInfo.InvariantCulture) }
        });
        try
        {
            await admin.Client.CreateTopicsAsync(specifications,
                new CreateTopicsOptions { RequestTimeout = KafkaAdmin.RequestTimeout, OperationTimeout = KafkaAdmin.RequestTimeout });
            logger.LogInformation("Created Kafka topics {Topics} with {Partitions} partitions, keeping records {RetentionHours} hours",
                topics, Options.Partitions, Options.RetentionHours);
        }
        catch (CreateTopicsException e)
        {
            // Another host may have created some of them at the same moment; that is success.
            var failures = e.Results.Where(r => r.Error.Code is not (ErrorCode.NoError or ErrorCode.TopicAlreadyExists)).ToList();
            if (failures.Count > 0)
                throw CannotCreate(failures.Select(f => $"'{f.Topic}': {f.Error.Reason}"));
        }
        catch (KafkaException e)
        {
            throw CannotCreate(topics.Select(t => $"'{t}': {e.Error.Reason}"));
        }
    }

    void Report(string topic, int partitions)
    {
        if (partitions < Options.Partitions)
            logger.LogWarning(
                "Kafka topic {Topic} has {Partitions} partitions, fewer than the {ConfiguredPartitions} configured in Kafka:Partitions; " +
                "it is used as it is, so at most {Partitions} consumers of a group share it. Add partitions on the cluster to change that",
                topic, partitions, Options.Partitions, partitions);
    }

    static InvalidOperationException CannotCreate(IEnumerable<string> failures) =>
        new($"Kafka topics are missing and could not be created: {string.Join("; ", failures)}. " +
            "A broker that cannot create topics remotely (such as a `kafka-broker` process) must be started with them (--topics).");
}
