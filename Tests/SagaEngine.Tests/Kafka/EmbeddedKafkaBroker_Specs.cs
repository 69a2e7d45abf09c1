using Confluent.Kafka;
using SagaEngine.Host.Kafka.EmbeddedBroker;
using SagaEngine.Tests.Kafka.Support;

using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Kafka;

public class EmbeddedKafkaBroker_Specs
{
    [Fact]
    public void Should_serve_the_kafka_protocol_from_every_broker_it_starts()
    {
        using var broker = EmbeddedKafkaBroker.Start(brokerCount: 3);
        using var admin = PlainKafka.Admin(broker.BootstrapServers);

        var metadata = admin.GetMetadata(TimeSpan.FromSeconds(10));

        Assert.Equal(3, broker.BootstrapServers.Split(',').Length);
        Assert.Equal([1, 2, 3], metadata.Brokers.Select(b => b.BrokerId).Order());
    }

    [Fact]
    public void Should_create_a_topic_with_the_partitions_asked_for_and_leave_an_existing_one_alone()
    {
        using var broker = EmbeddedKafkaBroker.Start();

        Assert.True(broker.CreateTopic("orders", partitions: 5));
        Assert.False(broker.CreateTopic("orders", partitions: 9));

        Assert.Equal(5, PlainKafka.PartitionCount(broker.BootstrapServers, "orders"));
    }

    [Fact]
    public async Task Should_refuse_connections_while_a_broker_is_down_and_serve_again_once_it_is_up()
    {
        using var broker = EmbeddedKafkaBroker.Start();
        broker.CreateTopic("t", partitions: 1);
        var disconnected = new TaskCompletionSource();
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = broker.BootstrapServers, LingerMs = 1 })
            .SetLogHandler((_, _) => { })
            .SetErrorHandler((_, e) => { if (e.Code is ErrorCode.Local_Transport or ErrorCode.Local_AllBrokersDown) disconnected.TrySetResult(); })
            .Build();
        await producer.ProduceAsync("t", new Message<string, byte[]> { Key = "k", Value = [1] });

        broker.TakeBrokerDown(1);
        var whileDown = producer.ProduceAsync("t", new Message<string, byte[]> { Key = "k", Value = [2] });
        await disconnected.Task.WaitAsync(Eventually.DefaultTimeout);
        Assert.False(whileDown.IsCompleted);

        broker.BringBrokerUp(1);
        await whileDown;

        var records = PlainKafka.ReadAll(broker.BootstrapServers, "t", 2);
        Assert.Equal([1, 2], records.Select(r => r.Message.Value[0]));
    }

    [Fact]
    public void Should_refuse_to_be_used_after_it_is_disposed()
    {
        var broker = EmbeddedKafkaBroker.Start();
        broker.Dispose();

        Assert.Throws<ObjectDisposedException>(() => broker.CreateTopic("t", 1));
    }
}
