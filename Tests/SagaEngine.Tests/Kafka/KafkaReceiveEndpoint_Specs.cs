using Confluent.Kafka;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using SagaEngine.Host.Kafka.Producing;
using SagaEngine.Tests.Kafka.Consumers;
using SagaEngine.Tests.Kafka.Messages;
using SagaEngine.Tests.Kafka.Support;

using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Kafka;

public class KafkaReceiveEndpoint_Specs(KafkaBrokerFixture kafka) : IClassFixture<KafkaBrokerFixture>
{
    [Fact]
    public async Task Should_dispatch_each_record_to_the_consumer_of_exactly_the_type_its_header_names()
    {
        var topic = kafka.Topic(partitions: 3);
        var log = new ConsumedLog();
        await using var host = await KafkaTestHost.Start(
            KafkaSettings.For(kafka.BootstrapServers).WithEndpoint("pings", topic, KafkaNames.Unique("group")),
            k => k.AddEndpoint("pings", e => e.Consumer<PingConsumer>().Consumer<PingLikeConsumer>()), log);
        var producer = host.Services.GetRequiredService<IKafkaProducer>();
        var ping = new Ping(Guid.NewGuid(), "k1", 1, "hello");
        var pingLike = new PingLike(Guid.NewGuid(), "k1", 2, "hello");
        var (messageId, correlationId, conversationId) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());

        var deliveries = await producer.ProduceBatch([
            KafkaRecord.ForMessage(topic, "k1", ping, messageId, correlationId, conversationId),
            KafkaRecord.ForMessage(topic, "k1", pingLike, Guid.NewGuid()),
            KafkaRecord.ForMessage(topic, "k1", new Unhandled(Guid.NewGuid()), Guid.NewGuid())
        ]);
        await Eventually.True(() => host.Endpoint("pings").Counters.Snapshot() is { Processed: 2, NotHandled: 1 },
            "two records consumed and one skipped");

        var consumed = log.Succeeded;
        Assert.Equal([nameof(Ping), nameof(PingLike)], consumed.Select(c => c.MessageType));
        var first = consumed[0];
        Assert.Equal((ping.Id, ping.Key, ping.Sequence, ping.Text), (first.Id, first.Key, first.Sequence, first.Text));
        Assert.Equal(messageId, first.MessageId);
        Assert.Equal(correlationId, first.CorrelationId);
        Assert.Equal((topic, deliveries[0].Partition!.Value, deliveries[0].Offset!.Value, "k1", 1),
            (first.Record.Topic, first.Record.Partition, first.Record.Offset, first.Record.Key, first.Record.Attempt));
        Assert.Equal(pingLike.Id, consumed[1].Id);
    }

    [Fact]
    public async Task Should_dispatch_records_to_a_saga_state_machine()
    {
        var topic = kafka.Topic(partitions: 2);
        await using var host = await KafkaTestHost.Start(
            KafkaSettings.For(kafka.BootstrapServers).WithEndpoint("trips", topic, KafkaNames.Unique("group")),
            k => k.AddEndpoint("trips", e => e.Saga<TripState>()));
        var producer = host.Services.GetRequiredService<IKafkaProducer>();
        var tripId = Guid.NewGuid();

        await producer.ProduceBatch([
            KafkaRecord.ForMessage(topic, tripId.ToString(), new TripStarted(tripId, "north"), Guid.NewGuid(), tripId),
            KafkaRecord.ForMessage(topic, tripId.ToString(), new TripEnded(tripId), Guid.NewGuid(), tripId)
        ]);

        var sagas = host.Services.GetRequiredService<ILoadSagaRepository<TripState>>();
        var trip = await Eventually.Get(() => sagas.Load(tripId), t => t?.CurrentState == "Over", "the trip saga to end");
        Assert.Equal("north", trip!.Name);
    }

    /// <summary>KIP-848 is what the embedded broker's consumers use; classic with cooperative rebalancing is the default for a real cluster.</summary>
    [Theory]
    [InlineData("Consumer")]
    [InlineData("Classic")]
    public async Task Should_keep_each_keys_order_while_partitions_are_processed_concurrently(string groupProtocol)
    {
        const int keys = 12, perKey = 25;
        var topic = kafka.Topic(partitions: 6);
        var log = new ConsumedLog();
        await using var host = await KafkaTestHost.Start(
            KafkaSettings.For(kafka.BootstrapServers).WithEndpoint("pings", topic, KafkaNames.Unique("group"))
                .With("Kafka:GroupProtocol", groupProtocol),
            k => k.AddEndpoint("pings", e => e.Consumer<PingConsumer>()), log);
        var records = Enumerable.Range(0, perKey)
            .SelectMany(sequence => Enumerable.Range(0, keys).Select(key => Ping($"key-{key}", sequence)))
            .Select(ping => KafkaRecord.ForMessage(topic, ping.Key, ping, Guid.NewGuid()))
            .ToList();

        await host.Services.GetRequiredService<IKafkaProducer>().ProduceBatch(records);
        await Eventually.True(() => log.Succeeded.Count == keys * perKey, "every record consumed");

        foreach (var key in log.Succeeded.GroupBy(c => c.Key))
        {
            Assert.Equal(Enumerable.Range(0, perKey), key.Select(c => c.Sequence));
            Assert.Single(key.Select(c => c.Record.Partition).Distinct());
        }
        Assert.True(log.Succeeded.Select(c => c.Record.Partition).Distinct().Count() > 1);
    }

    [Fact]
    public async Task Should_process_as_many_partitions_at_once_as_the_endpoint_allows_and_no_more()
    {
        var topic = kafka.Topic(partitions: 6);
        var behaviour = new PingBehaviour { Gated = true };
        var log = new ConsumedLog();
        await using var host = await KafkaTestHost.Start(
            KafkaSettings.For(kafka.BootstrapServers).WithEndpoint("pings", topic, KafkaNames.Unique("group"))
                .With("Kafka:Endpoints:pings:MaxConcurrentPartitions", "2"),
            k => k.AddEndpoint("pings", e => e.Consumer<PingConsumer>()), log, behaviour);
        using var producer = PlainKafka.Producer(kafka.BootstrapServers);
        for (var partition = 0; partition < 6; partition++)
            await producer.ProduceAsync(new TopicPartition(topic, partition), PlainKafka.Message(Ping($"p{partition}", 0), $"p{partition}"));

        // Two records are in their handler, held at the gate, and another partition waits for a slot.
        var endpoint = host.Endpoint("pings");
        await Eventually.True(() => endpoint.Counters.Snapshot() is { InFlight: 2, WaitingForSlot: > 0 }, "two in flight and one waiting");
        Assert.Equal(2, behaviour.MaxInFlight);

        behaviour.OpenGate();
        await Eventually.True(() => log.Succeeded.Count == 6, "every partition's record consumed");
        Assert.Equal(2, behaviour.MaxInFlight);
    }

    [Fact]
    public async Task Should_pause_a_partition_whose_records_pile_up_and_resume_it_without_losing_or_repeating_any()
    {
        var topic = kafka.Topic(partitions: 1);
        var behaviour = new PingBehaviour { Gated = true };
        var log = new ConsumedLog();
        await using var host = await KafkaTestHost.Start(
            KafkaSettings.For(kafka.BootstrapServers, ("MaxBufferedRecordsPerPartition", "10"))
                .WithEndpoint("pings", topic, KafkaNames.Unique("group")),
            k => k.AddEndpoint("pings", e => e.Consumer<PingConsumer>()), log, behaviour);
        // Each pause drops what librdkafka had fetched ahead, and each resume fetches it again: a few
        // rounds of that, each resuming at the offset after the last record handed over.
        var pings = Enumerable.Range(0, 30).Select(i => Ping("k", i)).ToList();
        await host.Services.GetRequiredService<IKafkaProducer>().ProduceBatch(
            pings.Select(p => KafkaRecord.ForMessage(topic, p.Key, p, Guid.NewGuid())).ToList());
        await Eventually.True(() => host.Endpoint("pings").Counters.Snapshot().InFlight == 1, "the first record held at the gate");

        behaviour.OpenGate();

        await Eventually.True(() => log.Succeeded.Count >= pings.Count, "every record consumed");
        Assert.Equal(pings.Select(p => p.Id), log.Succeeded.Select(e => e.Id));
    }

    static Ping Ping(string key, int sequence, string? text = null) => new(Guid.NewGuid(), key, sequence, text);
}
