using System.Net.Http.Json;
using System.Text;
using Confluent.Kafka;
using MessageUrn = MassTransit.MessageUrn;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SagaEngine.Consumers.Projections.CustomerOrders;
using SagaEngine.Consumers.Projections.OrderStats;
using SagaEngine.Consumers.Projections.Sales;
using SagaEngine.Host.Api;
using SagaEngine.Host.Kafka.Clients;
using SagaEngine.Host.Kafka.DeadLetters;
using SagaEngine.Host.Kafka.Producing;
using SagaEngine.Host.Projections;
using SagaEngine.Host.Projections.Storage;
using SagaEngine.Host.Validation;
using SagaEngine.Tests.Kafka.Support;
using SagaEngine.Tests.Messaging;
using SagaEngine.Tests.Persistence;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Kafka;

/// <summary>
/// Records produced by hand onto the host's topics over TCP, as kcat would: each breaks a rule of its
/// message type and is dead-lettered at once as <c>invalid</c> naming the field, or has a key or a
/// header that no redelivery can mend and is dead-lettered as <c>unreadable</c> at its first attempt;
/// none changes a table. One host per database serves every case.
/// </summary>
public abstract class ForgedRecords_Specs(SagaEngineFactory host) : IDisposable
{
    readonly OrdersClient _api = new(host.CreateClient());
    readonly IProducer<string, byte[]> _producer = PlainKafka.Producer(host.Services.GetRequiredService<KafkaCluster>().BootstrapServers);

    public static TheoryData<string> Consumed => new(ForgedMessages.All.Where(f => ForgedMessages.Consumed.Contains(f.Type)).Select(f => f.Name));

    [Theory]
    [MemberData(nameof(Consumed))]
    public async Task Should_dead_letter_the_record_as_invalid_naming_the_field_and_change_no_table(string name)
    {
        var forged = ForgedMessages.All.Single(f => f.Name == name);
        var before = await TableSnapshot.Take(host, Bookkeeping);

        var letter = await DeadLettered(await Produce(forged.Type, forged.Topic, forged.Json));

        Assert.Equal(("invalid", 1, typeof(InvalidMessageException).FullName), (letter.Fault, letter.Attempts, letter.ExceptionType));
        Assert.StartsWith($"The {forged.Type.Name} is not valid: ", letter.Reason);
        Assert.All(forged.Fields, field => Assert.Contains($"{field}: ", letter.Reason));
        Assert.Equal(before, await TableSnapshot.Take(host, Bookkeeping));
    }

    /// <summary>What no redelivery can mend, on a reservation that would change the stock if it were processed.</summary>
    public static TheoryData<string> Unmendable => new(UnmendableRecords.Keys);

    static readonly Dictionary<string, (Action<Message<string, byte[]>> Spoil, string Reason)> UnmendableRecords = new()
    {
        ["no MessageId"] = (m => m.Headers.Remove(KafkaMessageHeaders.MessageId), "It has no MessageId header"),
        ["MessageId not a GUID"] = (m => Set(m, KafkaMessageHeaders.MessageId, "42"), "Its MessageId header '42' is not a message id"),
        ["MessageId all zeros"] = (m => Set(m, KafkaMessageHeaders.MessageId, Guid.Empty.ToString()), "is not a message id"),
        ["empty key"] = (m => m.Key = "", "It has no key"),
        ["no key"] = (m => m.Key = null!, "It has no key"),
        ["unknown message type"] = (m => Set(m, KafkaMessageHeaders.MessageType, "urn:message:SagaEngine.Contracts:ReserveStock"),
            "names no message type this host knows"),
        ["malformed message type"] = (m => Set(m, KafkaMessageHeaders.MessageType, "ReserveInventory"), "is not a message type"),
        ["CorrelationId not a GUID"] = (m => Set(m, KafkaMessageHeaders.CorrelationId, "order-1"), "Its CorrelationId header 'order-1' is not a GUID"),
        ["ConversationId not a GUID"] = (m => Set(m, KafkaMessageHeaders.ConversationId, "x"), "Its ConversationId header 'x' is not a GUID"),
        ["MT-Response-Address not a URI"] = (m => Set(m, "MT-Response-Address", "back to me"), "is not an absolute URI"),
        ["Content-Type not JSON"] = (m => Set(m, KafkaMessageHeaders.ContentType, "application/xml"), "is not JSON"),
        ["SentTime not a date"] = (m => Set(m, KafkaMessageHeaders.SentTime, "yesterday"), "is not a date and time")
    };

    [Theory]
    [MemberData(nameof(Unmendable))]
    public async Task Should_dead_letter_a_record_no_redelivery_can_mend_as_unreadable_at_its_first_attempt(string name)
    {
        var (spoil, reason) = UnmendableRecords[name];
        var (topic, json) = ForgedMessages.Valid[typeof(SagaEngine.Contracts.ReserveInventory)];
        var orderId = Guid.NewGuid().ToString();
        var message = Record(typeof(SagaEngine.Contracts.ReserveInventory), json.Replace("\"ID\"", $"\"{orderId}\""), Guid.NewGuid().ToString());
        spoil(message);
        var before = await TableSnapshot.Take(host, Bookkeeping);

        await _producer.ProduceAsync(topic, message);

        var letter = (await Eventually.Get(() => host.Query(db => db.Set<DeadLetter>().AsNoTracking().ToListAsync()),
            all => all.Any(d => Encoding.UTF8.GetString(d.Body!).Contains(orderId)), "the record dead-lettered")).Single(d => Encoding.UTF8.GetString(d.Body!).Contains(orderId));
        Assert.Equal(("unreadable", 1, "inventory"), (letter.Fault, letter.Attempts, letter.Group));
        Assert.Contains(reason, letter.Reason);
        Assert.Equal(before, await TableSnapshot.Take(host, Bookkeeping));
    }

    [Fact]
    public async Task Should_skip_a_known_message_type_that_no_handler_of_the_endpoint_takes()
    {
        // OrderConfirmed shares orders.events with what the saga reads; the saga does not handle it.
        var (topic, json) = ForgedMessages.Valid[typeof(SagaEngine.Contracts.OrderConfirmed)];
        var key = Guid.NewGuid().ToString();
        var orderId = Guid.NewGuid().ToString();
        var before = await TableSnapshot.Take(host, BookkeepingAndReadModels);

        await _producer.ProduceAsync(topic, Record(typeof(SagaEngine.Contracts.OrderConfirmed), json.Replace("\"ID\"", $"\"{orderId}\""), key));
        // Behind it on its partition (same key): once this one is dead-lettered, the first was handled.
        var sentinel = Record(typeof(SagaEngine.Contracts.OrderConfirmed), "not json", key);
        await _producer.ProduceAsync(topic, sentinel);

        var letters = await Eventually.Get(() => host.Query(db => db.Set<DeadLetter>().AsNoTracking()
                .Where(d => d.Key == key && !d.Group.StartsWith("projection-")).ToListAsync()),
            l => l.Count > 0, "the sentinel dead-lettered");
        Assert.Equal(["not json"], letters.Select(d => Encoding.UTF8.GetString(d.Body!)));
        Assert.Equal(before, await TableSnapshot.Take(host, BookkeepingAndReadModels));
        // The read models apply it in their own groups, maybe later: the specs that share this host compare tables.
        var readModels = host.Services.GetServices<IProjection>().Count();
        await Eventually.True(async () => await host.Query(db => db.Set<ProjectionKey>().CountAsync(k => k.Key == orderId)) == readModels,
            "every read model applied the event");
    }

    [Fact]
    public async Task Should_leave_the_stock_unchanged_and_list_the_dead_letter_when_a_reservation_has_a_negative_quantity()
    {
        // Issue 11's first finding: this record once made SKU-2 "available 1000005, reserved -5".
        var forged = ForgedMessages.NegativeQuantity;
        Assert.Contains("\"sku\":\"SKU-2\"", forged.Json);
        var stock = await _api.Stock("SKU-2");

        var key = await Produce(forged.Type, forged.Topic, forged.Json);

        var listed = await Eventually.Get(async () => (await _api.Http.GetFromJsonAsync<DeadLetterPage>("/dead-letters?topic=inventory.commands"))!,
            p => p.Items.Any(d => d.Key == key), "the record listed in GET /dead-letters");
        var deadLetter = listed.Items.Single(d => d.Key == key);
        Assert.Equal(("invalid", "inventory"), (deadLetter.Fault, deadLetter.Group));
        Assert.Contains("quantity", deadLetter.Reason);
        Assert.Equal(stock, await _api.Stock("SKU-2"));
    }

    [Fact]
    public async Task Should_let_a_valid_record_of_the_same_kind_change_the_tables()
    {
        // The control: the snapshot does see what a message that passes its rules writes.
        var (topic, json) = ForgedMessages.Valid[typeof(SagaEngine.Contracts.ReserveInventory)];
        var before = await TableSnapshot.Take(host, Bookkeeping);

        var key = await Produce(typeof(SagaEngine.Contracts.ReserveInventory), topic, json.Replace("\"ID\"", $"\"{Guid.NewGuid()}\""));

        await Eventually.True(async () => !before.SequenceEqual(await TableSnapshot.Take(host, Bookkeeping)), "the reservation written");
        Assert.Null(await host.Query(db => db.Set<DeadLetter>().AsNoTracking().SingleOrDefaultAsync(d => d.Key == key)));
        // Its reply is relayed and read after this: the specs that share this host compare tables.
        await TableSnapshot.Settled(host, typeof(DeadLetter));
    }

    async Task<string> Produce(Type type, string topic, string json)
    {
        var key = Guid.NewGuid().ToString();
        await _producer.ProduceAsync(topic, Record(type, json, key));
        return key;
    }

    /// <summary>A record with the headers the host's own producer writes.</summary>
    static Message<string, byte[]> Record(Type type, string json, string key) => new()
    {
        Key = key, Value = Encoding.UTF8.GetBytes(json), Headers = new Headers
        {
            { KafkaMessageHeaders.MessageType, Encoding.UTF8.GetBytes(MessageUrn.ForTypeString(type)) },
            { KafkaMessageHeaders.MessageId, Encoding.UTF8.GetBytes(Guid.NewGuid().ToString()) },
            { KafkaMessageHeaders.ContentType, Encoding.UTF8.GetBytes(KafkaMessageHeaders.JsonContentType) },
            { KafkaMessageHeaders.SentTime, Encoding.UTF8.GetBytes(DateTime.UtcNow.ToString("O")) }
        }
    };

    static void Set(Message<string, byte[]> message, string header, string value)
    {
        message.Headers.Remove(header);
        message.Headers.Add(header, Encoding.UTF8.GetBytes(value));
    }

    /// <summary>
    /// Rows that move while nothing changes: the dead letters themselves, and the read models' positions and versions (a
    /// projection reads a forged event too, and dead-letters it in its own group; its version row appears when it starts).
    /// </summary>
    static readonly Type[] Bookkeeping = [typeof(DeadLetter), typeof(ProjectionPosition), typeof(ProjectionVersion)];

    /// <summary>With the read models too: a valid event the saga does not handle is still theirs to apply.</summary>
    static readonly Type[] BookkeepingAndReadModels =
    [
        .. Bookkeeping, typeof(ProjectionKey), typeof(CustomerOrder), typeof(SalesBucket), typeof(OrderStatsMinute), typeof(OrderStatsDuration),
        typeof(OrderStatsCancellation)
    ];

    /// <summary>The dead letter of the endpoint the record was meant for (the read models' groups dead-letter their own).</summary>
    async Task<DeadLetter> DeadLettered(string key) =>
        (await Eventually.Get<DeadLetter?>(() => host.Query(db => db.Set<DeadLetter>().AsNoTracking()
                .SingleOrDefaultAsync(d => d.Key == key && !d.Group.StartsWith("projection-"))),
            d => d is not null, $"the record {key} dead-lettered"))!;

    public void Dispose() => _producer.Dispose();
}

public class ForgedRecords_on_Sqlite(SqliteHost host) : ForgedRecords_Specs(host), IClassFixture<SqliteHost>;

public class ForgedRecords_on_Postgres(PostgresHost host) : ForgedRecords_Specs(host), IClassFixture<PostgresHost>;
