using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SagaEngine.Host.Kafka.Clients;
using SagaEngine.Host.Kafka.Configuration;
using SagaEngine.Host.Kafka.EmbeddedBroker;
using SagaEngine.Host.Kafka.Producing;
using SagaEngine.Tests.Kafka.Messages;
using SagaEngine.Tests.Kafka.Support;

using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Kafka;

public class KafkaProducer_Specs(KafkaBrokerFixture kafka) : IClassFixture<KafkaBrokerFixture>
{
    [Fact]
    public async Task Should_return_a_batch_once_every_record_is_acknowledged_keeping_each_keys_order()
    {
        var topic = kafka.Topic(partitions: 4);
        using var producer = Producer(kafka.BootstrapServers);
        var pings = Enumerable.Range(0, 40).Select(i => new Ping(Guid.NewGuid(), $"key-{i % 5}", i)).ToList();

        var deliveries = await producer.ProduceBatch(pings.Select(p => KafkaRecord.ForMessage(topic, p.Key, p, p.Id)).ToList());

        Assert.All(deliveries, d => Assert.True(d.Delivered));
        Assert.Equal(pings.Select(p => p.Id.ToString()), deliveries.Select(d => d.Record.Headers[KafkaMessageHeaders.MessageId]));
        var read = PlainKafka.ReadAll(kafka.BootstrapServers, topic, pings.Count);
        foreach (var key in read.GroupBy(r => r.Message.Key))
        {
            Assert.Single(key.Select(r => r.Partition.Value).Distinct());
            var inOffsetOrder = key.OrderBy(r => r.Offset.Value).Select(r => JsonSerializer.Deserialize<Ping>(r.Message.Value, KafkaJson.Options)!.Sequence);
            Assert.Equal(pings.Where(p => p.Key == key.Key).Select(p => p.Sequence), inOffsetOrder);
        }
    }

    [Fact]
    public async Task Should_write_the_standard_headers_and_a_camel_case_json_body_any_consumer_can_read()
    {
        var topic = kafka.Topic(partitions: 1);
        using var producer = Producer(kafka.BootstrapServers);
        var ping = new Ping(Guid.NewGuid(), "k", 7, "hi");
        var (messageId, correlationId, conversationId) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var sentTime = new DateTime(2026, 11, 26, 10, 30, 0, DateTimeKind.Utc);

        await producer.Produce(KafkaRecord.ForMessage(topic, "k", ping, messageId, correlationId, conversationId, sentTime));

        var record = PlainKafka.ReadAll(kafka.BootstrapServers, topic, 1).Single();
        Assert.Equal("urn:message:SagaEngine.Tests.Kafka.Messages:Ping", PlainKafka.Header(record, "MT-MessageType"));
        Assert.Equal(messageId.ToString(), PlainKafka.Header(record, "MessageId"));
        Assert.Equal(correlationId.ToString(), PlainKafka.Header(record, "CorrelationId"));
        Assert.Equal(conversationId.ToString(), PlainKafka.Header(record, "ConversationId"));
        Assert.Equal("application/json", PlainKafka.Header(record, "Content-Type"));
        Assert.Equal("2026-11-26T10:30:00.0000000Z", PlainKafka.Header(record, "SentTime"));
        Assert.Equal($$"""{"id":"{{ping.Id}}","key":"k","sequence":7,"text":"hi"}""", Encoding.UTF8.GetString(record.Message.Value));
    }

    [Fact]
    public async Task Should_deliver_a_batch_produced_while_the_broker_is_down_once_it_is_back_up()
    {
        using var broker = EmbeddedKafkaBroker.Start();
        broker.CreateTopic("events", partitions: 2);
        var logs = new CapturedLogs();
        using var producer = Producer(broker.BootstrapServers, logs);
        await producer.Produce(KafkaRecord.ForMessage("events", "k0", new Ping(Guid.NewGuid(), "k0", 0), Guid.NewGuid()));
        var pings = Enumerable.Range(1, 30).Select(i => new Ping(Guid.NewGuid(), $"k{i % 3}", i)).ToList();

        broker.TakeBrokerDown(1);
        var batch = producer.ProduceBatch(pings.Select(p => KafkaRecord.ForMessage("events", p.Key, p, p.Id)).ToList());
        // Until the broker is back nothing can be acknowledged. librdkafka normally warns within a second that it has
        // lost the broker; under a loaded suite that warning once took longer than 20 s, so the down time is bounded
        // here rather than the warning awaited, and what is asserted is that nothing was acknowledged meanwhile.
        var down = Stopwatch.StartNew();
        while (down.Elapsed < TimeSpan.FromSeconds(5)
               && !logs.Lines.Any(l => l.Category == "SagaEngine.Host.Kafka.Librdkafka" && l.Level == LogLevel.Warning))
            await Task.Delay(50);
        await Task.Delay(200);
        Assert.False(batch.IsCompleted);
        broker.BringBrokerUp(1);

        Assert.All(await batch, d => Assert.True(d.Delivered));
        var read = PlainKafka.ReadAll(broker.BootstrapServers, "events", pings.Count + 1);
        Assert.Equal(pings.Count + 1, read.Count);
        foreach (var key in read.GroupBy(r => r.Message.Key))
        {
            var sequences = key.OrderBy(r => r.Offset.Value).Select(r => JsonSerializer.Deserialize<Ping>(r.Message.Value, KafkaJson.Options)!.Sequence).ToList();
            Assert.Equal(sequences.Order(), sequences);
        }
    }

    static KafkaProducer Producer(string bootstrapServers, CapturedLogs? logs = null)
    {
        var options = Options.Create(new KafkaOptions { BootstrapServers = bootstrapServers });
        var loggers = LoggerFactory.Create(b => b.AddProvider(logs ?? new CapturedLogs()));
        return new KafkaProducer(new KafkaClientConfigs(new KafkaCluster(options), options), loggers);
    }
}
