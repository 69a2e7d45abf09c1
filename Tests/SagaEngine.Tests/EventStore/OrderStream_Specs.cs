using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using SagaEngine.Contracts;
using SagaEngine.Host.Api;
using SagaEngine.Host.Kafka.Monitoring;
using SagaEngine.Host.Kafka.Producing;
using SagaEngine.Host.Persistence;
using SagaEngine.Sagas;
using SagaEngine.Tests.Api;
using SagaEngine.Tests.Kafka.Support;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.EventStore;

/// <summary>
/// The order's stream (<c>order-{id}</c>) through the real host: every step recorded with its sequence
/// numbers, and <c>GET /orders/{id}?asOf=</c> equal to a brute-force fold of the stream at random times
/// (snapshots every 4 events, so they apply), its current fold equal to the live order.
/// </summary>
public abstract class OrderStream_Specs(SagaEngineFactory host)
{
    readonly OrdersClient _client = new(host.CreateClient());

    [Fact]
    public async Task Should_record_every_step_of_a_confirmed_order_with_its_sequence_numbers_and_conversation()
    {
        var id = await _client.Submit("SKU-1", 1);
        await _client.WaitUntilEnded(id);

        var events = await Stream(id);

        Assert.Equal(["OrderSubmitted", "OrderStepped", "InventoryReserved", "OrderStepped", "PaymentCharged", "OrderConfirmed", "OrderStepped"],
            events.Select(e => e.Type));
        Assert.Equal(Enumerable.Range(1, events.Count).Select(v => (long)v), events.Select(e => e.Version));
        var sequences = events.Where(e => e.Data.TryGetProperty("sequence", out _)).Select(e => e.Data.GetProperty("sequence").GetInt32()).ToList();
        Assert.Equal(Enumerable.Range(1, sequences.Count), sequences);
        Assert.Equal(4, sequences.Count);
        Assert.All(events, e => Assert.Equal(id, e.Metadata.CorrelationId));
        Assert.Equal(["AwaitingInventory", "AwaitingPayment", "Confirmed"],
            events.Where(e => e.Type == "OrderStepped").Select(e => e.Data.GetProperty("to").GetString()));
    }

    [Fact]
    public async Task Should_name_and_date_each_event_it_shares_with_a_topic_as_the_topic_s_record_does()
    {
        var id = await _client.Submit("SKU-1", 1);
        await _client.WaitUntilEnded(id);
        var bootstrap = (await _client.Http.GetFromJsonAsync<KafkaOverview>("/kafka"))!.BootstrapServers;

        // What a projection reading the topics sees of this order: each record's id and sent time, to the microsecond.
        var records = new Dictionary<string, (Guid, DateTime)>();
        foreach (var topic in new[] { "orders.events", "inventory.replies", "payment.replies" })
        {
            foreach (var record in PlainKafka.ReadAll(bootstrap, topic, PlainKafka.RecordCount(bootstrap, topic)).Where(r => r.Message.Key == id.ToString()))
                records[PlainKafka.Header(record, KafkaMessageHeaders.MessageType).Split(';')[0].Split(':')[^1]] = (
                    Guid.Parse(PlainKafka.Header(record, KafkaMessageHeaders.MessageId)),
                    Micro(DateTime.Parse(PlainKafka.Header(record, KafkaMessageHeaders.SentTime), CultureInfo.InvariantCulture,
                        DateTimeStyles.AdjustToUniversal)));
        }

        var shared = (await Stream(id)).Where(e => e.Type != "OrderStepped").ToList();
        Assert.Equal(["OrderSubmitted", "InventoryReserved", "PaymentCharged", "OrderConfirmed"], shared.Select(e => e.Type));
        foreach (var e in shared)
        {
            var urn = records.Keys.Single(k => string.Equals(k.Replace("-", ""), e.Type, StringComparison.OrdinalIgnoreCase));
            Assert.Equal(records[urn], (e.Metadata.MessageId, e.OccurredAt));
            Assert.True(e.OccurredAt <= e.RecordedAt, $"{e.Type} happened at {e.OccurredAt:O}, before it was recorded at {e.RecordedAt:O}");
        }
    }

    [Fact]
    public async Task Should_answer_as_of_any_time_as_a_brute_force_fold_of_the_order_s_stream()
    {
        var orders = new[]
        {
            await _client.Submit("SKU-1", 1), await _client.Submit("SKU-2", 1, token: "tok_decline"),
            await _client.Submit("SKU-1", 1, token: "tok_timeout"), await _client.Submit("SKU-2", 1, token: "tok_slow")
        };
        foreach (var id in orders)
            await _client.WaitUntilEnded(id);
        // The slow payment's late charge and its refund come after the order ended.
        await Eventually.Get(async () => (await _client.Find(orders[3]))!, o => o.History.Count == 6, "the late charge's refund");

        var random = new Random(13);
        foreach (var id in orders)
        {
            var events = await Stream(id);
            var live = (await _client.Find(id))!;
            Assert.Equal(Comparable(live), Comparable(Fold(id, events, DateTime.MaxValue)!));

            var first = events[0].RecordedAt;
            var span = events[^1].RecordedAt - first;
            var times = events.Select(e => e.RecordedAt)
                .Concat(Enumerable.Range(0, 15).Select(_ => first.AddTicks((long)(random.NextDouble() * 1.2 * span.Ticks))))
                .Append(first.AddTicks(-10));
            foreach (var time in times)
            {
                var expected = Fold(id, events, time);
                var response = await _client.Http.GetAsync($"/orders/{id}?asOf={Iso(time)}");
                if (expected is null)
                    Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
                else
                    Assert.Equal(Comparable(expected), Comparable((await response.Content.ReadFromJsonAsync<OrderView>())!));
            }
        }
    }

    [Fact]
    public async Task Should_answer_404_before_the_order_existed_and_400_naming_a_malformed_as_of()
    {
        var before = DateTime.UtcNow.AddSeconds(-1);
        var id = await _client.Submit("SKU-1", 1);
        await _client.WaitUntilEnded(id);

        Assert.Equal(HttpStatusCode.NotFound, (await _client.Http.GetAsync($"/orders/{id}?asOf={Iso(before)}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.Http.GetAsync($"/orders/{Guid.NewGuid()}?asOf={Iso(DateTime.UtcNow)}")).StatusCode);
        foreach (var (url, field) in new[]
                 {
                     ($"/orders/{id}?asOf=yesterday", "asOf"), ($"/orders/{id}?asOf=2026-13-01", "asOf"),
                     ($"/orders/{id}?asOf={Iso(DateTime.UtcNow)}&waitForTerminal=5", "waitForTerminal")
                 })
        {
            var response = await _client.Http.GetAsync(url);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal([field], (await response.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.Keys);
        }
    }

    async Task<List<EventView>> Stream(Guid id) =>
        (await _client.Http.GetFromJsonAsync<StreamPage>($"/streams/order-{id}?limit=1000"))!.Events.ToList();

    /// <summary>The order as of <paramref name="time"/>, folded here from every event of its stream recorded by then.</summary>
    static OrderView? Fold(Guid id, IReadOnlyList<EventView> events, DateTime time)
    {
        var types = OrderFold.Instance.EventTypes.ToDictionary(t => t.Name, t => t.ClrType);
        var state = OrderFold.Instance.Initial;
        var any = false;
        foreach (var e in events.Where(e => e.RecordedAt <= time))
        {
            state = OrderFold.Instance.Apply(state, e.Data.Deserialize(types[e.Type], JsonSerializerOptions.Web)!);
            any = true;
        }
        return any ? OrderView.From(id, state) : null;
    }

    /// <summary>
    /// The view with its times cut to the microsecond, as PostgreSQL keeps the live order's columns, and its
    /// amounts without trailing zeros (12.50 in a column is 12.5 in JSON).
    /// </summary>
    static string Comparable(OrderView view) => JsonSerializer.Serialize(view with
    {
        Total = Plain(view.Total),
        Items = view.Items.Select(i => i with { UnitPrice = Plain(i.UnitPrice) }).ToList(),
        CreatedAt = Micro(view.CreatedAt),
        UpdatedAt = Micro(view.UpdatedAt),
        History = view.History.Select(h => h with { At = Micro(h.At) }).ToList()
    });

    static decimal Plain(decimal amount) => amount / 1.0000000000000000000000000000m;

    static DateTime Micro(DateTime t) => new(t.Ticks - t.Ticks % 10, DateTimeKind.Utc);

    static string Iso(DateTime time) => Uri.EscapeDataString(time.ToUniversalTime().ToString("O"));
}

/// <summary>Short timeouts (the timeout and slow-payment flows end quickly) and a snapshot every 4 events of a stream.</summary>
public class OrderStreamHost : ShortTimeoutsHost
{
    protected OrderStreamHost(DatabaseProvider provider) : base(provider) => With("EventStore:SnapshotEvery", "4");
}

public class OrderStreamSqliteHost() : OrderStreamHost(DatabaseProvider.Sqlite);

public class OrderStreamPostgresHost() : OrderStreamHost(DatabaseProvider.Postgres);

public class OrderStream_on_Sqlite(OrderStreamSqliteHost host) : OrderStream_Specs(host), IClassFixture<OrderStreamSqliteHost>;

public class OrderStream_on_Postgres(OrderStreamPostgresHost host) : OrderStream_Specs(host), IClassFixture<OrderStreamPostgresHost>;
