using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using MessageUrn = MassTransit.MessageUrn;
using SagaEngine.Host.Kafka.DeadLetters;
using SagaEngine.Host.Kafka.Producing;
using SagaEngine.Tests.Kafka.Consumers;
using SagaEngine.Tests.Kafka.Messages;
using SagaEngine.Tests.Kafka.Support;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Kafka;

/// <summary>A record the endpoint cannot or will not process goes to its dead-letter topic, and the partition moves on.</summary>
public class KafkaDeadLetters_Specs(KafkaBrokerFixture kafka) : IClassFixture<KafkaBrokerFixture>
{
    const int MaxRecordBytes = 300;

    [Fact]
    public async Task Should_dead_letter_each_unreadable_record_at_once_with_its_reason_and_go_on_with_the_partition()
    {
        var (topic, group) = (kafka.Topic(partitions: 1), KafkaNames.Unique("group"));
        var log = new ConsumedLog();
        await using var host = await KafkaTestHost.Start(
            KafkaSettings.For(kafka.BootstrapServers, ("MaxRecordBytes", MaxRecordBytes.ToString())).WithEndpoint("pings", topic, group),
            k => k.AddEndpoint("pings", e => e.Consumer<PingConsumer>()), log);
        var (first, last) = (new Ping(Guid.NewGuid(), "k", 0), new Ping(Guid.NewGuid(), "k", 1));
        var pingType = MessageUrn.ForTypeString<Ping>();
        var oversize = PlainKafka.Message(new Ping(Guid.NewGuid(), "k", 2, new string('x', MaxRecordBytes)), "k");
        var id = (KafkaMessageHeaders.MessageId, Guid.NewGuid().ToString());
        var unreadable = new (Message<string, byte[]> Message, string Reason)[]
        {
            (Raw("""{"id":"3f1c2a4e-0000-0000-0000-000000000000","key":"k","sequence":5}""", id), "no MT-MessageType header"),
            (Raw("not json", (KafkaMessageHeaders.MessageType, pingType), id), "not a JSON object"),
            (Raw("""{"id":"3f1c2a4e-0000-0000-0000-000000000000"}""", (KafkaMessageHeaders.MessageType, "Ping"), id), "is not a message type"),
            (Raw("[1, 2]", (KafkaMessageHeaders.MessageType, pingType), id), "not a JSON object"),
            (Raw("""{"id":"not-a-guid","key":"k","sequence":"five"}""", (KafkaMessageHeaders.MessageType, pingType), id), "not a valid"),
            (new Message<string, byte[]> { Key = "k", Value = null!, Headers = Headers((KafkaMessageHeaders.MessageType, pingType), id) }, "no body"),
            (oversize, $"more than Kafka:MaxRecordBytes ({MaxRecordBytes})"),
            // What no redelivery can mend either: a retry could never give these an id, a key or a well-formed header.
            (Raw(Valid(), (KafkaMessageHeaders.MessageType, pingType)), "no MessageId header"),
            (Raw(Valid(), (KafkaMessageHeaders.MessageType, pingType), (KafkaMessageHeaders.MessageId, "12")), "is not a message id"),
            (Raw(Valid(), (KafkaMessageHeaders.MessageType, pingType), (KafkaMessageHeaders.MessageId, Guid.Empty.ToString())), "is not a message id"),
            (Keyed("", Raw(Valid(), (KafkaMessageHeaders.MessageType, pingType), id)), "no key"),
            (Keyed(null, Raw(Valid(), (KafkaMessageHeaders.MessageType, pingType), id)), "no key"),
            (Raw(Valid(), (KafkaMessageHeaders.MessageType, pingType), id, (KafkaMessageHeaders.CorrelationId, "order-7")), "CorrelationId header 'order-7' is not a GUID"),
            (Raw(Valid(), (KafkaMessageHeaders.MessageType, pingType), id, ("MT-Response-Address", "reply here")), "MT-Response-Address header 'reply here' is not an absolute URI"),
            (Raw(Valid(), (KafkaMessageHeaders.MessageType, pingType), id, (KafkaMessageHeaders.ContentType, "text/plain")), "Content-Type header 'text/plain' is not JSON"),
            (Raw(Valid(), (KafkaMessageHeaders.MessageType, pingType), id, (KafkaMessageHeaders.SentTime, "yesterday")), "SentTime header 'yesterday' is not a date")
        };

        using var producer = PlainKafka.Producer(kafka.BootstrapServers);
        var partition = new TopicPartition(topic, 0);
        await producer.ProduceAsync(partition, PlainKafka.Message(first, "k"));
        foreach (var (message, _) in unreadable)
            await producer.ProduceAsync(partition, message);
        await producer.ProduceAsync(partition, PlainKafka.Message(new Unhandled(Guid.NewGuid()), "k"));
        await producer.ProduceAsync(partition, PlainKafka.Message(last, "k"));

        await Eventually.Get(() => PlainKafka.Committed(kafka.BootstrapServers, group, partition), o => o == unreadable.Length + 3,
            "the partition committed to its end");
        Assert.Equal([first.Id, last.Id], log.Succeeded.Select(e => e.Id));
        Assert.Equal((2, 0, unreadable.Length, unreadable.Length, 1), host.Endpoint("pings").Counters.Snapshot() is var c
            ? (c.Processed, c.Failed, c.Unreadable, c.DeadLettered, c.NotHandled)
            : default);

        var deadLetters = PlainKafka.ReadAll(kafka.BootstrapServers, DeadLetterTopic.For(topic, group), unreadable.Length);
        Assert.Equal(unreadable.Length, deadLetters.Count);
        for (var i = 0; i < unreadable.Length; i++)
        {
            var (original, reason) = unreadable[i];
            var copy = deadLetters[i];
            Assert.Equal(original.Key, copy.Message.Key);
            Assert.Equal(original.Value, copy.Message.Value);
            // Its own headers first and unchanged, then the dead-letter ones.
            Assert.Equal(original.Headers.Select(h => (h.Key, Encoding.UTF8.GetString(h.GetValueBytes()))),
                copy.Message.Headers.Take(original.Headers.Count).Select(h => (h.Key, Encoding.UTF8.GetString(h.GetValueBytes()))));
            Assert.Equal((topic, "0", (i + 1).ToString(), group, "pings", "unreadable", "1"), (
                PlainKafka.Header(copy, DeadLetterHeaders.OriginalTopic), PlainKafka.Header(copy, DeadLetterHeaders.OriginalPartition),
                PlainKafka.Header(copy, DeadLetterHeaders.OriginalOffset), PlainKafka.Header(copy, DeadLetterHeaders.ConsumerGroup),
                PlainKafka.Header(copy, DeadLetterHeaders.Endpoint), PlainKafka.Header(copy, DeadLetterHeaders.Fault),
                PlainKafka.Header(copy, DeadLetterHeaders.Attempts)));
            Assert.Contains(reason, PlainKafka.Header(copy, DeadLetterHeaders.ExceptionMessage));
            Assert.True(DateTime.Parse(PlainKafka.Header(copy, DeadLetterHeaders.DeadLetteredAt)) > DateTime.UtcNow.AddMinutes(-5));
        }
    }

    [Fact]
    public async Task Should_dead_letter_a_record_whose_handler_always_fails_after_exactly_the_configured_attempts_while_the_partition_goes_on()
    {
        const int attempts = 3;
        var (topic, group) = (kafka.Topic(partitions: 1), KafkaNames.Unique("group"));
        var log = new ConsumedLog();
        await using var host = await KafkaTestHost.Start(
            KafkaSettings.For(kafka.BootstrapServers, ("MaxDeliveryAttempts", "50"), ("Endpoints:pings:MaxDeliveryAttempts", attempts.ToString()))
                .WithEndpoint("pings", topic, group),
            k => k.AddEndpoint("pings", e => e.Consumer<PingConsumer>()), log);
        var poison = new Ping(Guid.NewGuid(), "bad-key", 1, PingBehaviour.Poison);
        var others = Enumerable.Range(0, 5).Select(i => new Ping(Guid.NewGuid(), $"key-{i}", i)).ToList();

        await host.Services.GetRequiredService<IKafkaProducer>().ProduceBatch(
            new[] { others[0], poison }.Concat(others.Skip(1)).Select(p => KafkaRecord.ForMessage(topic, p.Key, p, Guid.NewGuid())).ToList());

        var partition = new TopicPartition(topic, 0);
        await Eventually.Get(() => PlainKafka.Committed(kafka.BootstrapServers, group, partition), o => o == others.Count + 1,
            "the partition committed to its end");
        Assert.Equal(others.Select(p => p.Id), log.Succeeded.Select(e => e.Id));
        // Each attempt of the consume loop runs MassTransit's own retries inside it.
        Assert.Equal(Enumerable.Range(1, attempts).SelectMany(a => Enumerable.Repeat(a, PingConsumerDefinition.TriesPerAttempt)),
            log.All.Where(e => e.Id == poison.Id).Select(e => e.Record.Attempt));

        var copy = Assert.Single(PlainKafka.ReadAll(kafka.BootstrapServers, DeadLetterTopic.For(topic, group), 1));
        Assert.Equal("bad-key", copy.Message.Key);
        Assert.Equal(("attempts-exhausted", attempts.ToString(), "1", typeof(InvalidOperationException).FullName), (
            PlainKafka.Header(copy, DeadLetterHeaders.Fault), PlainKafka.Header(copy, DeadLetterHeaders.Attempts),
            PlainKafka.Header(copy, DeadLetterHeaders.OriginalOffset), PlainKafka.Header(copy, DeadLetterHeaders.ExceptionType)));
        Assert.Contains("is poison", PlainKafka.Header(copy, DeadLetterHeaders.ExceptionMessage));
        Assert.Equal((attempts, 1L), host.Endpoint("pings").Counters.Snapshot() is var c ? (c.Failed, c.DeadLettered) : default);
    }

    [Fact]
    public async Task Should_dead_letter_a_record_whose_handler_fails_permanently_at_the_first_attempt()
    {
        var (topic, group) = (kafka.Topic(partitions: 1), KafkaNames.Unique("group"));
        var log = new ConsumedLog();
        await using var host = await KafkaTestHost.Start(
            KafkaSettings.For(kafka.BootstrapServers, ("MaxDeliveryAttempts", "50")).WithEndpoint("pings", topic, group),
            k => k.AddEndpoint("pings", e => e.Consumer<PingConsumer>()), log);
        var (invalid, next) = (new Ping(Guid.NewGuid(), "k", 0, PingBehaviour.Invalid), new Ping(Guid.NewGuid(), "k", 1));

        await host.Services.GetRequiredService<IKafkaProducer>().ProduceBatch(
            new[] { invalid, next }.Select(p => KafkaRecord.ForMessage(topic, p.Key, p, Guid.NewGuid())).ToList());

        await Eventually.Get(() => PlainKafka.Committed(kafka.BootstrapServers, group, new TopicPartition(topic, 0)), o => o == 2,
            "the partition committed to its end");
        Assert.Equal([next.Id], log.Succeeded.Select(e => e.Id));
        Assert.All(log.All.Where(e => e.Id == invalid.Id), e => Assert.Equal(1, e.Record.Attempt));
        var copy = Assert.Single(PlainKafka.ReadAll(kafka.BootstrapServers, DeadLetterTopic.For(topic, group), 1));
        Assert.Equal(("permanent", "1", typeof(ArgumentException).FullName), (PlainKafka.Header(copy, DeadLetterHeaders.Fault),
            PlainKafka.Header(copy, DeadLetterHeaders.Attempts), PlainKafka.Header(copy, DeadLetterHeaders.ExceptionType)));
    }

    /// <summary>A Ping's body that would be processed, were its key and headers right.</summary>
    static string Valid() => $$"""{"id":"{{Guid.NewGuid()}}","key":"k","sequence":9}""";

    static Message<string, byte[]> Keyed(string? key, Message<string, byte[]> message)
    {
        message.Key = key!;
        return message;
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
