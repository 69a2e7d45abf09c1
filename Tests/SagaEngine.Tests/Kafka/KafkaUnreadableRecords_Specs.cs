using System.Text;
using Confluent.Kafka;
using MessageUrn = MassTransit.MessageUrn;
using SagaEngine.Host.Kafka.Producing;
using SagaEngine.Tests.Kafka.Consumers;
using SagaEngine.Tests.Kafka.Messages;
using SagaEngine.Tests.Kafka.Support;

using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Kafka;

public class KafkaUnreadableRecords_Specs(KafkaBrokerFixture kafka) : IClassFixture<KafkaBrokerFixture>
{
    [Fact]
    public async Task Should_count_and_pass_over_records_it_cannot_read_and_go_on_with_the_partition()
    {
        var topic = kafka.Topic(partitions: 1);
        var group = KafkaNames.Unique("group");
        var log = new ConsumedLog();
        await using var host = await KafkaTestHost.Start(
            KafkaSettings.For(kafka.BootstrapServers).WithEndpoint("pings", topic, group),
            k => k.AddEndpoint("pings", e => e.Consumer<PingConsumer>()), log);
        var (first, last) = (new Ping(Guid.NewGuid(), "k", 0), new Ping(Guid.NewGuid(), "k", 1));
        var pingType = MessageUrn.ForTypeString<Ping>();
        var unreadable = new[]
        {
            Raw("""{"id":"3f1c2a4e-0000-0000-0000-000000000000","key":"k","sequence":5}"""),
            Raw("not json", (KafkaMessageHeaders.MessageType, pingType)),
            Raw("""{"id":"3f1c2a4e-0000-0000-0000-000000000000"}""", (KafkaMessageHeaders.MessageType, "Ping")),
            Raw("[1, 2]", (KafkaMessageHeaders.MessageType, pingType)),
            Raw("""{"id":"not-a-guid","key":"k","sequence":"five"}""", (KafkaMessageHeaders.MessageType, pingType)),
            new Message<string, byte[]> { Key = "k", Value = null!, Headers = Headers((KafkaMessageHeaders.MessageType, pingType)) }
        };

        using var producer = PlainKafka.Producer(kafka.BootstrapServers);
        var partition = new TopicPartition(topic, 0);
        await producer.ProduceAsync(partition, PlainKafka.Message(first, "k"));
        foreach (var message in unreadable)
            await producer.ProduceAsync(partition, message);
        await producer.ProduceAsync(partition, PlainKafka.Message(new Unhandled(Guid.NewGuid()), "k"));
        await producer.ProduceAsync(partition, PlainKafka.Message(last, "k"));

        await Eventually.Get(() => PlainKafka.Committed(kafka.BootstrapServers, group, partition), o => o == unreadable.Length + 3,
            "the partition committed to its end");
        Assert.Equal([first.Id, last.Id], log.Succeeded.Select(e => e.Id));
        Assert.Equal((2, 0, unreadable.Length, 1), host.Endpoint("pings").Counters.Snapshot() is var c
            ? (c.Processed, c.Failed, c.Unreadable, c.NotHandled)
            : default);
        Assert.Equal(unreadable.Length, host.Logs.Lines.Count(l => l.Message.Contains("passed over unreadable record")));
    }

    static Message<string, byte[]> Raw(string body, params (string Name, string Value)[] headers) =>
        new() { Key = "k", Value = Encoding.UTF8.GetBytes(body), Headers = Headers(headers) };

    static Headers Headers(params (string Name, string Value)[] headers)
    {
        var result = new Headers();
        foreach (var (name, value) in headers)
            result.Add(name, Encoding.UTF8.GetBytes(value));
        return result;
    }
}
