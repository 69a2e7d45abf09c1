using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using SagaEngine.Host.Kafka.Monitoring;
using SagaEngine.Host.Kafka.Producing;
using SagaEngine.Tests.Kafka.Consumers;
using SagaEngine.Tests.Kafka.Messages;
using SagaEngine.Tests.Kafka.Support;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Kafka;

/// <summary>The Kafka meter: consumer lag that follows what the endpoint has really processed, and dead letters by fault.</summary>
public class KafkaMetrics_Specs(KafkaBrokerFixture kafka) : IClassFixture<KafkaBrokerFixture>
{
    [Fact]
    public async Task Should_report_the_records_a_held_up_partition_has_not_processed_as_lag_and_0_once_it_caught_up()
    {
        var (topic, group) = (kafka.Topic(partitions: 1), KafkaNames.Unique("group"));
        var behaviour = new PingBehaviour { Gated = true };
        await using var host = await KafkaTestHost.Start(KafkaSettings.For(kafka.BootstrapServers).WithEndpoint("pings", topic, group),
            k => k.AddEndpoint("pings", e => e.Consumer<PingConsumer>()), behaviour: behaviour);
        using var meter = new KafkaMeter();

        // The first ping waits at the gate: it and the four behind it are not processed.
        await host.Services.GetRequiredService<IKafkaProducer>().ProduceBatch(Enumerable.Range(0, 5)
            .Select(i => KafkaRecord.ForMessage(topic, "k", new Ping(Guid.NewGuid(), "k", i), Guid.NewGuid())).ToList());
        await Eventually.Get(() => meter.Lag(group, topic), lag => lag == 5, "a lag of 5 while the first record is held up");

        behaviour.OpenGate();
        await Eventually.Get(() => PlainKafka.Committed(kafka.BootstrapServers, group, new TopicPartition(topic, 0)), o => o == 5,
            "the partition processed to its end");
        await Eventually.Get(() => meter.Lag(group, topic), lag => lag == 0, "the lag back to 0");
    }

    [Fact]
    public async Task Should_count_each_dead_letter_by_topic_group_and_fault()
    {
        var (topic, group) = (kafka.Topic(partitions: 1), KafkaNames.Unique("group"));
        await using var host = await KafkaTestHost.Start(KafkaSettings.For(kafka.BootstrapServers).WithEndpoint("pings", topic, group),
            k => k.AddEndpoint("pings", e => e.Consumer<PingConsumer>()));
        using var meter = new KafkaMeter();

        await host.Services.GetRequiredService<IKafkaProducer>().ProduceBatch(
        [
            KafkaRecord.ForMessage(topic, "k", new Ping(Guid.NewGuid(), "k", 0, PingBehaviour.Invalid), Guid.NewGuid()),
            KafkaRecord.ForMessage(topic, "k", new Ping(Guid.NewGuid(), "k", 1), Guid.NewGuid()),
            KafkaRecord.ForMessage(topic, "k", new Ping(Guid.NewGuid(), "k", 2, PingBehaviour.Invalid), Guid.NewGuid())
        ]);
        using (var producer = PlainKafka.Producer(kafka.BootstrapServers))
            await producer.ProduceAsync(topic, new Message<string, byte[]> { Key = "k", Value = "not json"u8.ToArray() });

        await Eventually.Get(() => PlainKafka.Committed(kafka.BootstrapServers, group, new TopicPartition(topic, 0)), o => o == 4,
            "the partition processed to its end");
        Assert.Equal((2, 1), (meter.DeadLetters(topic, group, "permanent"), meter.DeadLetters(topic, group, "unreadable")));
    }

    /// <summary>Listens to the SagaEngine.Kafka meter of whatever host is running, keeping measurements by their tags.</summary>
    sealed class KafkaMeter : IDisposable
    {
        readonly MeterListener _listener = new();
        readonly ConcurrentDictionary<(string Instrument, string Tags), long> _deadLetters = new();
        readonly ConcurrentDictionary<(string Group, string Topic), long> _lags = new();

        public KafkaMeter()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == KafkaMetrics.MeterName)
                    listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            {
                var byName = new Dictionary<string, string?>();
                foreach (var tag in tags)
                    byName[tag.Key] = tag.Value?.ToString();
                if (instrument.Name == "sagaengine.kafka.consumer.lag")
                    _lags[(byName["group"]!, byName["topic"]!)] = value;
                else if (instrument.Name == "sagaengine.kafka.dead_letters")
                    _deadLetters.AddOrUpdate((instrument.Name, $"{byName["topic"]}|{byName["group"]}|{byName["fault"]}"), value, (_, sum) => sum + value);
            });
            _listener.Start();
        }

        public long? Lag(string group, string topic)
        {
            _lags.Clear();
            _listener.RecordObservableInstruments();
            return _lags.TryGetValue((group, topic), out var lag) ? lag : null;
        }

        public long DeadLetters(string topic, string group, string fault) =>
            _deadLetters.GetValueOrDefault(("sagaengine.kafka.dead_letters", $"{topic}|{group}|{fault}"));

        public void Dispose() => _listener.Dispose();
    }
}
