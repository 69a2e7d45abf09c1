using System.Net.Http.Json;
using System.Text;
using Confluent.Kafka;
using MessageUrn = MassTransit.MessageUrn;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SagaEngine.Host.Api;
using SagaEngine.Host.Kafka.Clients;
using SagaEngine.Host.Kafka.DeadLetters;
using SagaEngine.Host.Kafka.Producing;
using SagaEngine.Host.Validation;
using SagaEngine.Tests.Kafka.Support;
using SagaEngine.Tests.Messaging;
using SagaEngine.Tests.Persistence;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Kafka;

/// <summary>
/// Records produced by hand onto the host's topics over TCP, as kcat would: each breaks a rule of its
/// message type, is dead-lettered at once as <c>invalid</c> naming the field, and changes no table.
/// One host per database serves every case.
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
        var before = await TableSnapshot.Take(host, typeof(DeadLetter));

        var letter = await DeadLettered(await Produce(forged.Type, forged.Topic, forged.Json));

        Assert.Equal(("invalid", 1, typeof(InvalidMessageException).FullName), (letter.Fault, letter.Attempts, letter.ExceptionType));
        Assert.StartsWith($"The {forged.Type.Name} is not valid: ", letter.Reason);
        Assert.All(forged.Fields, field => Assert.Contains($"{field}: ", letter.Reason));
        Assert.Equal(before, await TableSnapshot.Take(host, typeof(DeadLetter)));
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
        var before = await TableSnapshot.Take(host, typeof(DeadLetter));

        var key = await Produce(typeof(SagaEngine.Contracts.ReserveInventory), topic, json.Replace("\"ID\"", $"\"{Guid.NewGuid()}\""));

        await Eventually.True(async () => !before.SequenceEqual(await TableSnapshot.Take(host, typeof(DeadLetter))), "the reservation written");
        Assert.Null(await host.Query(db => db.Set<DeadLetter>().AsNoTracking().SingleOrDefaultAsync(d => d.Key == key)));
    }

    async Task<string> Produce(Type type, string topic, string json)
    {
        var key = Guid.NewGuid().ToString();
        var headers = new Headers
        {
            { KafkaMessageHeaders.MessageType, Encoding.UTF8.GetBytes(MessageUrn.ForTypeString(type)) },
            { KafkaMessageHeaders.MessageId, Encoding.UTF8.GetBytes(Guid.NewGuid().ToString()) },
            { KafkaMessageHeaders.ContentType, Encoding.UTF8.GetBytes(KafkaMessageHeaders.JsonContentType) }
        };
        await _producer.ProduceAsync(topic, new Message<string, byte[]> { Key = key, Value = Encoding.UTF8.GetBytes(json), Headers = headers });
        return key;
    }

    async Task<DeadLetter> DeadLettered(string key) =>
        (await Eventually.Get<DeadLetter?>(() => host.Query(db => db.Set<DeadLetter>().AsNoTracking().SingleOrDefaultAsync(d => d.Key == key)),
            d => d is not null, $"the record {key} dead-lettered"))!;

    public void Dispose() => _producer.Dispose();
}

public class ForgedRecords_on_Sqlite(SqliteHost host) : ForgedRecords_Specs(host), IClassFixture<SqliteHost>;

public class ForgedRecords_on_Postgres(PostgresHost host) : ForgedRecords_Specs(host), IClassFixture<PostgresHost>;
