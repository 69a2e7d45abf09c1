using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using SagaEngine.Consumers.Projections.Sales;
using SagaEngine.Contracts;
using SagaEngine.Host.Kafka.Producing;
using SagaEngine.Host.Messaging.Schemas;
using SagaEngine.Host.Projections.Applying;
using SagaEngine.Host.Schemas;

namespace SagaEngine.Tests.Projections;

/// <summary>
/// What a rebuild reads from an event history: an event named as the message catalog names it (its URN) or as an
/// event store keeps it (the .NET type's own name), in the catalog's schema version. Kafka records keep the wire's rules.
/// </summary>
public class EventDecoder_Specs
{
    static readonly ContractSchemas Schemas = new();
    static readonly Guid OrderId = Guid.Parse("0b4f7c1e-0000-0000-0000-0000000000d1");
    static readonly DateTime At = new(2026, 11, 30, 12, 0, 0, DateTimeKind.Utc);
    static readonly MessageSchema Confirmed = Schemas.Find(typeof(OrderConfirmed))!;

    readonly EventDecoder _decoder = new(new SalesProjection(), Schemas);

    static string Json() => JsonSerializer.Serialize(new OrderConfirmed(OrderId, 25m, "EUR", "cust-1", [new OrderLine("SKU-1", 2, 12.50m)], 4),
        KafkaJson.Options);

    [Theory]
    [InlineData(nameof(OrderConfirmed))]
    [InlineData("urn")]
    public void Should_read_a_stored_event_by_its_urn_or_by_its_type_s_own_name(string name)
    {
        var decoded = _decoder.Decode(name == "urn" ? Confirmed.Urn : name, Confirmed.Version, Json(), At, "history@7");

        Assert.Equal(DecodeOutcome.Event, decoded.Outcome);
        var incoming = decoded.Event!;
        Assert.Equal((OrderId.ToString(), (int?)4, At), (incoming.Event.Key, incoming.Event.Sequence, incoming.Event.OccurredAt));
        Assert.Equal(25m, Assert.IsType<OrderConfirmed>(incoming.Event.Message).Total);
        // Held durably under the catalog's name, whatever the store called it.
        Assert.Equal((Confirmed.Urn, Confirmed.Version), (incoming.MessageType, incoming.SchemaVersion));
    }

    [Fact]
    public void Should_pass_over_a_stored_event_of_a_type_it_does_not_read()
    {
        Assert.Equal(DecodeOutcome.NotRead, _decoder.Decode("StockReceived", 1, "{}", At, "history@8").Outcome);
    }

    [Fact]
    public void Should_not_take_a_kafka_record_named_by_its_type_s_own_name()
    {
        var headers = new Headers
        {
            { KafkaMessageHeaders.MessageType, Encoding.UTF8.GetBytes(nameof(OrderConfirmed)) },
            { SchemaVersionHeader.Name, Encoding.UTF8.GetBytes(SchemaVersionHeader.Format(Confirmed.Version)) }
        };
        var record = new ConsumeResult<string, byte[]>
        {
            Topic = "orders.events", Partition = 0, Offset = 3,
            Message = new Message<string, byte[]> { Key = OrderId.ToString(), Value = Encoding.UTF8.GetBytes(Json()), Headers = headers, Timestamp = new Timestamp(At) }
        };

        Assert.Equal(DecodeOutcome.NotRead, _decoder.Decode(record).Outcome);
    }
}
