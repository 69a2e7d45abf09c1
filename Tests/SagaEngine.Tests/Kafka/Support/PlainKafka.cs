using System.Text;
using Confluent.Kafka;

using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Kafka.Support;

/// <summary>Plain Confluent clients, as any non-.NET-MassTransit program would use the topics.</summary>
public static class PlainKafka
{
    public static IProducer<string, byte[]> Producer(string bootstrap) =>
        new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = bootstrap, EnableIdempotence = true, Acks = Acks.All, LingerMs = 1 })
            .SetLogHandler((_, _) => { })
            .Build();

    public static IAdminClient Admin(string bootstrap) =>
        new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).SetLogHandler((_, _) => { }).Build();

    public static int PartitionCount(string bootstrap, string topic)
    {
        using var admin = Admin(bootstrap);
        var metadata = admin.GetMetadata(topic, TimeSpan.FromSeconds(10));
        return metadata.Topics.Single().Partitions.Count;
    }

    /// <summary>How many records the topic holds now, over all its partitions.</summary>
    public static int RecordCount(string bootstrap, string topic)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = KafkaNames.Unique("counter") })
            .SetLogHandler((_, _) => { }).Build();
        return (int)Enumerable.Range(0, PartitionCount(bootstrap, topic))
            .Sum(p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10)).High.Value);
    }

    /// <summary>Reads every record of a topic from the beginning until <paramref name="count"/> have arrived.</summary>
    public static List<ConsumeResult<string, byte[]>> ReadAll(string bootstrap, string topic, int count)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
            {
                BootstrapServers = bootstrap, GroupId = KafkaNames.Unique("reader"), AutoOffsetReset = AutoOffsetReset.Earliest,
                EnableAutoCommit = false, FetchWaitMaxMs = 10
            })
            .SetLogHandler((_, _) => { })
            .Build();
        consumer.Subscribe(topic);
        var records = new List<ConsumeResult<string, byte[]>>();
        var deadline = DateTime.UtcNow + Eventually.DefaultTimeout;
        while (records.Count < count && DateTime.UtcNow < deadline)
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } record)
                records.Add(record);
        consumer.Close();
        return records;
    }

    /// <summary>The group's committed offset of a partition (the next offset it will read), or null when it has none.</summary>
    public static async Task<long?> Committed(string bootstrap, string group, TopicPartition partition)
    {
        using var admin = Admin(bootstrap);
        var results = await admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions(group, [partition])]);
        var offset = results.Single().Partitions.Single().Offset.Value;
        return offset >= 0 ? offset : null;
    }

    /// <summary>The sum of the group's committed offsets over every partition of <paramref name="topics"/>, asked in one request.</summary>
    public static async Task<long> CommittedSum(string bootstrap, string group, IEnumerable<string> topics)
    {
        using var admin = Admin(bootstrap);
        var partitions = topics.SelectMany(topic => admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions
            .Select(p => new TopicPartition(topic, p.PartitionId))).ToList();
        var results = await admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions(group, partitions)]);
        return results.Single().Partitions.Sum(p => Math.Max(0, p.Offset.Value));
    }

    /// <summary>A message as the host's producer would write it: camelCase JSON with the standard headers.</summary>
    public static Message<string, byte[]> Message<T>(T message, string? key = null) where T : class
    {
        var record = SagaEngine.Host.Kafka.Producing.KafkaRecord.ForMessage(topic: "", key ?? "", message, Guid.NewGuid());
        var headers = new Headers();
        foreach (var (name, value) in record.Headers)
            headers.Add(name, Encoding.UTF8.GetBytes(value));
        return new Message<string, byte[]> { Key = record.Key, Value = record.Body, Headers = headers };
    }

    public static string Header(ConsumeResult<string, byte[]> record, string name) =>
        Encoding.UTF8.GetString(record.Message.Headers.GetLastBytes(name));
}
