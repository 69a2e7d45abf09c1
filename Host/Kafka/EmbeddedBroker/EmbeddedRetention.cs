using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Options;
using SagaEngine.Host.Kafka.Clients;
using SagaEngine.Host.Kafka.Configuration;

namespace SagaEngine.Host.Kafka.EmbeddedBroker;

/// <summary>
/// Keeps the embedded broker's partition logs short. librdkafka's mock finds the record a fetch asks for by
/// walking the partition's log from its oldest record, so every record consumed costs more as the log grows,
/// up to the mock's own limit of 5 MB per partition: at saturation that walk took a tenth of the host's CPU.
/// A real broker indexes its log and needs none of this.
/// <para>
/// Every few seconds it drops, on each topic this host's consumer groups read, the records that are older than
/// <see cref="KafkaOptions.EmbeddedRetentionSeconds"/> and that every one of those groups has committed past,
/// so no group of this host loses a record it has not processed, however far behind it is. Nothing is dropped
/// while a <see cref="RetentionHolds"/> hold is open. Topics no group of this host reads (dead-letter topics)
/// are left whole.
/// </para>
/// </summary>
public sealed class EmbeddedRetention(
    KafkaCluster cluster, KafkaAdmin admin, IOptions<KafkaOptions> options, RetentionHolds holds, TimeProvider clock,
    ILogger<EmbeddedRetention> logger) : BackgroundService
{
    /// <summary>The end offsets seen on each partition, oldest first, until they are old enough to cut at.</summary>
    readonly Dictionary<TopicPartition, Queue<(DateTimeOffset At, long End)>> _ends = new();

    /// <summary>Per partition, the newest end offset that is older than the retention: where a cut may go.</summary>
    readonly Dictionary<TopicPartition, long> _aged = new();

    static TimeSpan PassInterval(TimeSpan retention) =>
        TimeSpan.FromTicks(Math.Clamp(retention.Ticks / 3, TimeSpan.FromMilliseconds(200).Ticks, TimeSpan.FromSeconds(5).Ticks));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var seconds = options.Value.EmbeddedRetentionSeconds;
        if (!cluster.IsEmbedded || seconds == 0)
            return;
        var retention = TimeSpan.FromSeconds(seconds);
        // The topics each configured group reads: settings, fixed for the host's life.
        var readers = options.Value.Endpoints.Values
            .SelectMany(e => e.Topics.Select(topic => (Topic: topic, e.Group)))
            .GroupBy(r => r.Topic, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(r => r.Group).Distinct(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        using var timer = new PeriodicTimer(PassInterval(retention), clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await Pass(readers, retention, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The next pass tries again; until then the logs only grow a little longer.
                    logger.LogWarning(e, "The embedded broker's retention pass failed");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    /// <summary>One pass: note each partition's end, then cut where both rules allow. Returns the records dropped.</summary>
    async Task<long> Pass(Dictionary<string, List<string>> readers, TimeSpan retention, CancellationToken cancellationToken)
    {
        var broker = cluster.EmbeddedBroker;
        if (broker is null)
            return 0;

        var partitionCounts = admin.PartitionCounts();
        var partitions = readers.Keys.Where(partitionCounts.ContainsKey)
            .SelectMany(topic => Enumerable.Range(0, partitionCounts[topic]).Select(p => new TopicPartition(topic, p)))
            .ToList();

        var now = clock.GetUtcNow();
        var ends = await Offsets(partitions, OffsetSpec.Latest(), cancellationToken);
        foreach (var partition in partitions)
            NoteEnd(partition, now, ends[partition], retention);

        if (holds.AnyOpen)
            return 0;
        // An idle host asks for nothing more: a partition whose aged end is its start has nothing to drop.
        var starts = await Offsets(partitions, OffsetSpec.Earliest(), cancellationToken);
        var candidates = partitions.Where(p => _aged.TryGetValue(p, out var aged) && aged > starts[p]).ToList();
        if (candidates.Count == 0)
            return 0;
        var committed = await Committed(readers, candidates, cancellationToken);

        long dropped = 0;
        foreach (var partition in candidates)
        {
            var cut = _aged[partition];
            foreach (var group in readers[partition.Topic])
                cut = Math.Min(cut, committed.GetValueOrDefault((group, partition), -1));
            var low = starts[partition];
            if (cut <= low)
                continue;
            broker.DeleteRecordsBefore(partition.Topic, partition.Partition.Value, cut);
            dropped += cut - low;
        }
        if (dropped > 0)
            logger.LogDebug("The embedded broker dropped {Records} records consumed by every group and older than {Retention}", dropped, retention);
        return dropped;
    }

    /// <summary>Every partition's earliest or latest offset, in one request.</summary>
    async Task<Dictionary<TopicPartition, long>> Offsets(List<TopicPartition> partitions, OffsetSpec spec, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var result = await admin.Client.ListOffsetsAsync(partitions.Select(p => new TopicPartitionOffsetSpec { TopicPartition = p, OffsetSpec = spec }),
            new ListOffsetsOptions { RequestTimeout = KafkaAdmin.RequestTimeout });
        return result.ResultInfos.ToDictionary(r => r.TopicPartitionOffsetError.TopicPartition, r => r.TopicPartitionOffsetError.Offset.Value);
    }

    void NoteEnd(TopicPartition partition, DateTimeOffset now, long end, TimeSpan retention)
    {
        if (!_ends.TryGetValue(partition, out var ends))
            _ends[partition] = ends = new Queue<(DateTimeOffset, long)>();
        ends.Enqueue((now, end));
        while (ends.Count > 0 && ends.Peek().At <= now - retention)
            _aged[partition] = ends.Dequeue().End;
    }

    /// <summary>Each group's committed offset on each partition it reads; a partition it never committed on is missing.</summary>
    async Task<Dictionary<(string Group, TopicPartition Partition), long>> Committed(
        Dictionary<string, List<string>> readers, List<TopicPartition> partitions, CancellationToken cancellationToken)
    {
        var committed = new Dictionary<(string, TopicPartition), long>();
        foreach (var group in readers.Values.SelectMany(g => g).Distinct(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var read = partitions.Where(p => readers[p.Topic].Contains(group)).ToList();
            var results = await admin.Client.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions(group, read)],
                new ListConsumerGroupOffsetsOptions { RequestTimeout = KafkaAdmin.RequestTimeout });
            foreach (var offset in results.SelectMany(r => r.Partitions))
                if (offset.Offset.Value >= 0)
                    committed[(group, offset.TopicPartition)] = offset.Offset.Value;
        }
        return committed;
    }
}
