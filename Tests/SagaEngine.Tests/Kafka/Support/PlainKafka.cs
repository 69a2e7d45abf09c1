using System.Text;
using Confluent.Kafka;

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

    public static string Header(ConsumeResult<string, byte[]> record, string name) =>
        Encoding.UTF8.GetString(record.Message.Headers.GetLastBytes(name));
}
