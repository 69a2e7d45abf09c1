using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using SagaEngine.Consumers.Projections.CustomerOrders;
using SagaEngine.Contracts;
using SagaEngine.Host.Api;
using SagaEngine.Host.Kafka.Monitoring;
using SagaEngine.Host.Persistence;
using SagaEngine.Tests.Kafka.Support;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Projections;

/// <summary>
/// A host whose projections read topics of their own, so a spec decides exactly which records they get
/// (the order saga and the services keep the real topics). Events held ahead of a gap are given up after 8 s.
/// </summary>
public abstract class IsolatedProjectionsHost : SagaEngineFactory
{
    public static readonly string[] Topics = ["rm-test.orders", "rm-test.inventory", "rm-test.payment"];
    public static readonly TimeSpan GapTimeout = TimeSpan.FromSeconds(8);

    protected IsolatedProjectionsHost(DatabaseProvider provider) : base(provider)
    {
        foreach (var projection in new[] { "customer-orders", "sales", "order-stats" })
            for (var i = 0; i < Topics.Length; i++)
                With($"Kafka:Endpoints:{projection}:Topics:{i}", Topics[i]);
        With("Projections:GapTimeout", GapTimeout.ToString());
    }
}

public sealed class IsolatedProjectionsOnSqlite() : IsolatedProjectionsHost(DatabaseProvider.Sqlite);

public sealed class IsolatedProjectionsOnPostgres() : IsolatedProjectionsHost(DatabaseProvider.Postgres);

/// <summary>
/// Exactly once without an inbox: records produced straight onto the projections' topics, duplicated,
/// reordered across topics, with gaps that fill and gaps that never do, without sequence numbers, and
/// unreadable; each order's rows must come out as if its events had arrived once and in order.
/// </summary>
public abstract class ExactlyOnce_Specs(SagaEngineFactory host) : IDisposable
{
    readonly ReadModelsClient _reads = new(host.CreateClient());
    readonly Lazy<IProducer<string, byte[]>> _producer = new(() =>
        PlainKafka.Producer(host.CreateClient().GetFromJsonAsync<KafkaOverview>("/kafka").GetAwaiter().GetResult()!.BootstrapServers));

    /// <summary>One order's events, each at its own second of <paramref name="minute"/>, a minute no other spec uses.</summary>
    sealed class Order(DateTime minute, string sku, int quantity = 3, decimal unitPrice = 4m)
    {
        public Guid Id { get; } = Guid.NewGuid();
        public string Customer { get; } = $"eo-{Guid.NewGuid():N}"[..16];
        public string Sku => sku;
        public DateTime Minute => minute;
        public OrderLine[] Lines => [new(sku, quantity, unitPrice)];
        public decimal Total => quantity * unitPrice;

        public (string Topic, object Event, DateTime At) Submitted => ("rm-test.orders", new OrderSubmitted(Id, Customer, "EUR", Lines, Total, "tok_ok", minute), minute);
        public (string, object, DateTime) Reserved(int? sequence = 2) => ("rm-test.inventory", new InventoryReserved(Id, sequence), minute.AddSeconds(1));
        public (string, object, DateTime) Charged(int? sequence = 3) => ("rm-test.payment", new PaymentCharged(Id, Total, "EUR", sequence), minute.AddSeconds(2));
        public (string, object, DateTime) Confirmed(int? sequence = 4) =>
            ("rm-test.orders", new OrderConfirmed(Id, Total, "EUR", Customer, Lines, sequence), minute.AddSeconds(3));
    }

    async Task Produce(Order order, params (string Topic, object Event, DateTime At)[] records)
    {
        foreach (var (topic, message, at) in records)
            await _producer.Value.ProduceAsync(topic, OrderRecords.Of(message, order.Id, at));
    }

    Task<CustomerOrderView> Row(Order order, Func<CustomerOrderView, bool> done, string what) =>
        Eventually.Get(async () => (await _reads.CustomerOrders(order.Customer)).Page.Items.SingleOrDefault(), o => o is not null && done(o),
            $"order {order.Id}: {what}")!;

    async Task<(long Units, decimal Revenue)> Sold(Order order)
    {
        var report = await _reads.Sales($"?from={order.Minute:O}&to={order.Minute.AddHours(1):O}&sku={order.Sku}");
        return (report.Rows.Sum(r => r.Units), report.Rows.Sum(r => r.Revenue));
    }

    async Task<SagaEngine.Consumers.Projections.OrderStats.OrderStatsReportMinute?> Stats(Order order) =>
        (await _reads.OrderStats($"?from={order.Minute:O}&to={order.Minute.AddMinutes(1):O}")).Minutes.SingleOrDefault();

    /// <summary>Until every projection has applied everything on its topics (held events aside).</summary>
    Task AllRead() => Eventually.True(async () => (await _reads.Projections()).All(p => p.LagRecords == 0), "every record read");

    [Fact]
    public async Task Should_apply_each_sequence_number_once_however_often_it_arrives()
    {
        var order = new Order(new DateTime(2031, 1, 1, 1, 0, 0, DateTimeKind.Utc), "SKU-EO-DUP");

        await Produce(order, order.Submitted, order.Submitted, order.Reserved(), order.Reserved(), order.Charged(), order.Confirmed(),
            order.Confirmed(), order.Submitted);
        await AllRead();

        var row = await Row(order, o => o.State == CustomerOrderStates.Confirmed, "confirmed");
        Assert.Equal((order.Total, 1, order.Minute, order.Minute.AddSeconds(3)), (row.Total, row.Lines, row.CreatedAt, row.UpdatedAt));
        Assert.Equal((3L, 12m), await Sold(order));
        var stats = (await Stats(order))!;
        Assert.Equal((1L, 1L, 0L, 3000d), (stats.Submitted, stats.Confirmed, stats.Cancelled, Math.Round(stats.P50Ms!.Value / 100) * 100));
    }

    [Fact]
    public async Task Should_apply_an_orders_events_in_sequence_order_whatever_order_its_topics_deliver_them_in()
    {
        var order = new Order(new DateTime(2031, 1, 1, 2, 0, 0, DateTimeKind.Utc), "SKU-EO-ORDER");

        await Produce(order, order.Charged(), order.Confirmed(), order.Reserved(), order.Submitted);

        // Applied after its submission: created then, and its submit-to-confirmation time counted.
        var row = await Row(order, o => o.State == CustomerOrderStates.Confirmed, "confirmed");
        Assert.Equal(order.Minute, row.CreatedAt);
        await AllRead();
        Assert.Equal((3L, 12m), await Sold(order));
        Assert.NotNull((await Stats(order))!.P50Ms);
    }

    [Fact]
    public async Task Should_hold_an_event_ahead_of_a_gap_durably_and_apply_it_when_the_gap_fills()
    {
        var order = new Order(new DateTime(2031, 1, 1, 3, 0, 0, DateTimeKind.Utc), "SKU-EO-HELD");
        var gapsBefore = (await _reads.Projection("sales")).ThisHost!.GapsGivenUp;

        await Produce(order, order.Submitted, order.Charged(), order.Confirmed());
        await Eventually.True(async () => (await _reads.Projections()).All(p => p.HeldEvents >= 2), "the charge and the confirmation held", seconds: 6);
        Assert.Equal((0L, 0m), await Sold(order));
        await Produce(order, order.Reserved());

        var row = await Row(order, o => o.State == CustomerOrderStates.Confirmed, "confirmed");
        Assert.Equal(order.Minute.AddSeconds(3), row.UpdatedAt);
        await Eventually.True(async () => (await _reads.Projections()).All(p => p.HeldEvents == 0), "nothing held");
        Assert.Equal((3L, 12m), await Sold(order));
        Assert.Equal(gapsBefore, (await _reads.Projection("sales")).ThisHost!.GapsGivenUp);
    }

    [Fact]
    public async Task Should_give_up_a_gap_after_the_gap_timeout_apply_what_followed_and_drop_the_missing_event_when_it_comes_late()
    {
        var order = new Order(new DateTime(2031, 1, 1, 4, 0, 0, DateTimeKind.Utc), "SKU-EO-GAP");
        var gapsBefore = (await _reads.Projections()).ToDictionary(p => p.Name, p => p.ThisHost!.GapsGivenUp);

        await Produce(order, order.Submitted, order.Charged(), order.Confirmed());
        var row = await Row(order, o => o.State == CustomerOrderStates.Confirmed, "confirmed after the gap timeout");

        Assert.Equal(order.Minute.AddSeconds(3), row.UpdatedAt);
        // Each projection gives its own gaps up, on its own sweep.
        var projections = await Eventually.Get(_reads.Projections, all => all.All(p => p.HeldEvents == 0), "every projection gave the gap up");
        Assert.All(projections, p => Assert.Equal(gapsBefore[p.Name] + 1, p.ThisHost!.GapsGivenUp));
        await Eventually.True(async () => (await Sold(order)) == (3L, 12m), "sold once");

        var duplicatesBefore = (await _reads.Projection("sales")).ThisHost!.Duplicates;
        await Produce(order, order.Reserved());
        await Eventually.True(async () => (await _reads.Projection("sales")).ThisHost!.Duplicates == duplicatesBefore + 1, "the late event dropped");
        Assert.Equal(CustomerOrderStates.Confirmed, (await Row(order, _ => true, "listed")).State);
    }

    [Fact]
    public async Task Should_apply_events_without_sequence_numbers_as_they_arrive()
    {
        // An order started before sequence numbers existed: its submission defaults to 1, the rest carry none.
        var order = new Order(new DateTime(2031, 1, 1, 5, 0, 0, DateTimeKind.Utc), "SKU-EO-NOSEQ");

        await Produce(order, order.Submitted, order.Reserved(null), order.Charged(null), order.Confirmed(null));

        await Row(order, o => o.State == CustomerOrderStates.Confirmed, "confirmed");
        await AllRead();
        Assert.Equal((3L, 12m), await Sold(order));
    }

    [Fact]
    public async Task Should_dead_letter_a_record_it_cannot_read_and_go_on_with_the_next()
    {
        var order = new Order(new DateTime(2031, 1, 1, 6, 0, 0, DateTimeKind.Utc), "SKU-EO-POISON");
        var poison = OrderRecords.Of(new OrderConfirmed(order.Id, 1m, "EUR"), order.Id, order.Minute);
        poison.Value = Encoding.UTF8.GetBytes("{\"orderId\": 42}");

        await _producer.Value.ProduceAsync("rm-test.orders", poison);
        await Produce(order, order.Submitted, order.Reserved(), order.Charged(), order.Confirmed());

        await Row(order, o => o.State == CustomerOrderStates.Confirmed, "confirmed");
        foreach (var group in new[] { "projection-customer-orders", "projection-sales", "projection-order-stats" })
        {
            var letters = await Eventually.Get(() => _reads.Http.GetFromJsonAsync<DeadLetterPage>($"/dead-letters?group={group}&topic=rm-test.orders"),
                page => page!.Items.Any(d => d.Key == order.Id.ToString()), $"the poison record dead-lettered by {group}");
            Assert.Equal("unreadable", letters!.Items.First(d => d.Key == order.Id.ToString()).Fault);
        }
    }

    [Fact]
    public async Task Should_dead_letter_an_event_that_breaks_its_contract_as_invalid_apply_none_of_it_and_go_on()
    {
        // Over FieldRules.MaxQuantity: the saga's endpoint dead-letters this submission, so no read model may show it.
        var forged = new Order(new DateTime(2031, 1, 1, 7, 0, 0, DateTimeKind.Utc), "SKU-EO-FORGED", quantity: 5000, unitPrice: 1m);
        var order = new Order(forged.Minute, "SKU-EO-AFTER");

        await Produce(forged, forged.Submitted);
        await Produce(order, order.Submitted, order.Reserved(), order.Charged(), order.Confirmed());

        await Row(order, o => o.State == CustomerOrderStates.Confirmed, "confirmed");
        await AllRead();
        Assert.Empty((await _reads.CustomerOrders(forged.Customer)).Page.Items);
        Assert.Equal((1L, 1L), ((await Stats(order))!.Submitted, (await Stats(order))!.Confirmed));
        foreach (var group in new[] { "projection-customer-orders", "projection-sales", "projection-order-stats" })
        {
            var letters = await Eventually.Get(() => _reads.Http.GetFromJsonAsync<DeadLetterPage>($"/dead-letters?group={group}&topic=rm-test.orders"),
                page => page!.Items.Any(d => d.Key == forged.Id.ToString()), $"the forged submission dead-lettered by {group}");
            var letter = letters!.Items.First(d => d.Key == forged.Id.ToString());
            Assert.Equal("invalid", letter.Fault);
            Assert.Contains("items[0].quantity", letter.Reason);
        }
    }

    [Fact]
    public async Task Should_answer_consistentWith_after_5_s_with_the_rows_as_they_are_and_the_lag_when_the_order_is_not_applied()
    {
        // A real order: its saga runs on the real topics, which these projections do not read.
        var orders = new OrdersClient(host.CreateClient());
        var customer = $"lag-{Guid.NewGuid():N}"[..16];
        var response = await orders.Http.PostAsync("/orders", new StringContent(JsonSerializer.Serialize(new
        {
            customerId = customer, currency = "EUR", items = new[] { new { sku = "SKU-1", quantity = 1, unitPrice = 1m } }, paymentToken = "tok_ok"
        }), Encoding.UTF8, "application/json"));
        var id = (await response.Content.ReadFromJsonAsync<OrderAccepted>())!.OrderId;

        var started = DateTime.UtcNow;
        var (page, lag) = await _reads.CustomerOrders(customer, $"?consistentWith={id}");

        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromSeconds(4.9), TimeSpan.FromSeconds(30));
        Assert.Empty(page.Items);
        Assert.NotNull(lag);
        Assert.True(int.Parse(lag) >= 1, $"Projection-Lag: {lag}");
    }

    public void Dispose()
    {
        if (_producer.IsValueCreated)
            _producer.Value.Dispose();
    }
}

public class ExactlyOnce_on_Sqlite(IsolatedProjectionsOnSqlite host) : ExactlyOnce_Specs(host), IClassFixture<IsolatedProjectionsOnSqlite>;

public class ExactlyOnce_on_Postgres(IsolatedProjectionsOnPostgres host) : ExactlyOnce_Specs(host), IClassFixture<IsolatedProjectionsOnPostgres>;
