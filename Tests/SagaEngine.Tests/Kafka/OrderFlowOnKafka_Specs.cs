using System.Text.Json;
using Confluent.Kafka;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using SagaEngine.Consumers.Payment;
using SagaEngine.Contracts;
using SagaEngine.Contracts.Schemas;
using SagaEngine.Host.Api;
using SagaEngine.Host.Kafka.Monitoring;
using SagaEngine.Host.Kafka.Producing;
using SagaEngine.Host.Persistence;
using SagaEngine.Tests.Kafka.Support;
using SagaEngine.Tests.Persistence;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Kafka;

/// <summary>The whole order flow across Kafka topics, as the host runs it by default (embedded broker).</summary>
public class OrderFlowOnKafka_Specs
{
    const int Orders = 500;

    /// <summary>Order i's outcome: mostly confirmed, and every way to be cancelled.</summary>
    static (string Sku, int Quantity, decimal Price, string Token, string State, string? Reason) Plan(int i) => (i % 10) switch
    {
        6 => ("SKU-1", 1, 10m, "tok_decline", "Cancelled", FailureReasons.PaymentDeclined),
        7 => ("SKU-NOPE", 1, 10m, "tok_ok", "Cancelled", FailureReasons.UnknownSku),
        8 => ("SKU-2", 1000, 11m, "tok_ok", "Cancelled", FailureReasons.AmountOverLimit),
        9 => ("SKU-LOW", 6, 10m, "tok_ok", "Cancelled", FailureReasons.OutOfStock),
        _ => ("SKU-1", 1, 10m, "tok_ok", "Confirmed", null)
    };

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Should_end_every_order_right_with_each_orders_records_in_flow_order_and_no_lag(DatabaseProvider provider)
    {
        await using var host = new SagaEngineFactory(provider);
        var api = new OrdersClient(host.CreateClient());

        var plans = new (Guid Id, (string Sku, int Quantity, decimal Price, string Token, string State, string? Reason) Plan)[Orders];
        await Parallel.ForEachAsync(Enumerable.Range(0, Orders), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
        {
            var plan = Plan(i);
            plans[i] = (await api.Submit(plan.Sku, plan.Quantity, plan.Price, plan.Token), plan);
        });

        var ended = await Eventually.Get(async () =>
            {
                var confirmed = (await api.Http.GetFromJsonAsync<OrderPage>("/orders?state=Confirmed&limit=500"))!.Items;
                var cancelled = (await api.Http.GetFromJsonAsync<OrderPage>("/orders?state=Cancelled&limit=500"))!.Items;
                return confirmed.Concat(cancelled).ToDictionary(o => o.OrderId);
            }, orders => orders.Count == Orders, $"all {Orders} orders ended", seconds: 120);

        Assert.All(plans, p => Assert.Equal((p.Plan.State, p.Plan.Reason), (ended[p.Id].State, ended[p.Id].FailureReason)));

        var confirmedIds = plans.Where(p => p.Plan.State == "Confirmed").Select(p => p.Id).ToHashSet();
        var charges = await host.Query(db => db.Set<LedgerEntry>().AsNoTracking().Where(e => e.Kind == LedgerEntryKind.Charge).ToListAsync());
        Assert.Equal(confirmedIds.Order(), charges.Select(c => c.OrderId).Order());

        await AssertRecordsInFlowOrder(api, plans.Select(p => (p.Id, p.Plan.State, p.Plan.Reason)).ToList());

        await Eventually.True(async () =>
                (await api.Http.GetFromJsonAsync<ConsumerGroupsView>("/kafka/consumer-groups"))!.Groups.All(g => g.Lag == 0),
            "every consumer group's lag back to 0");
    }

    /// <summary>
    /// Reads every topic as an outside consumer would: each order's records of one topic sit on one
    /// partition, exactly once and in the order the flow produced them.
    /// </summary>
    static async Task AssertRecordsInFlowOrder(OrdersClient api, List<(Guid Id, string State, string? Reason)> orders)
    {
        var bootstrap = (await api.Http.GetFromJsonAsync<KafkaOverview>("/kafka"))!.BootstrapServers;
        var expected = orders.ToDictionary(o => o.Id.ToString(), o => Expected(o.State, o.Reason));
        var sequences = orders.ToDictionary(o => o.Id.ToString(), _ => new List<int>());

        foreach (var topic in new[] { "orders.events", "inventory.commands", "inventory.replies", "payment.commands", "payment.replies" })
        {
            var count = expected.Values.Sum(e => e[topic].Length);
            var records = PlainKafka.ReadAll(bootstrap, topic, count);
            Assert.Equal(count, records.Count);

            Assert.All(records, AssertReadableByAnyConsumer);
            foreach (var byOrder in records.GroupBy(r => r.Message.Key))
            {
                Assert.Single(byOrder.Select(r => r.Partition.Value).Distinct());
                var types = byOrder.OrderBy(r => r.Offset.Value).Select(r => Catalogued(r).ShortName);
                Assert.Equal(expected[byOrder.Key][topic], types);
            }
            if (topic.EndsWith(".commands"))
                continue;
            foreach (var record in records)
                sequences[record.Message.Key].Add(SequenceOf(record));
        }

        // Across the event topics each order's events are numbered 1, 2, 3, … once each: no gap, no repeat.
        Assert.All(sequences, order => Assert.Equal(Enumerable.Range(1, order.Value.Count), order.Value.Order()));
    }

    static CatalogMessage Catalogued(ConsumeResult<string, byte[]> record) =>
        MessageCatalog.Messages.Single(m => m.Urn == PlainKafka.Header(record, KafkaMessageHeaders.MessageType));

    static int SequenceOf(ConsumeResult<string, byte[]> record)
    {
        using var body = JsonDocument.Parse(record.Message.Value);
        return body.RootElement.GetProperty("sequence").GetInt32();
    }

    /// <summary>
    /// What a consumer in any language sees: standard headers as text (the type by its stable name, the
    /// schema version this release writes), the body as camelCase JSON.
    /// </summary>
    static void AssertReadableByAnyConsumer(ConsumeResult<string, byte[]> record)
    {
        Assert.Equal(Catalogued(record).Version.ToString(), PlainKafka.Header(record, KafkaMessageHeaders.SchemaVersion));
        Assert.True(Guid.TryParse(PlainKafka.Header(record, KafkaMessageHeaders.MessageId), out _));
        Assert.Equal(record.Message.Key, PlainKafka.Header(record, KafkaMessageHeaders.CorrelationId));
        Assert.True(Guid.TryParse(PlainKafka.Header(record, KafkaMessageHeaders.ConversationId), out _));
        Assert.Equal("application/json", PlainKafka.Header(record, KafkaMessageHeaders.ContentType));
        Assert.True(DateTime.TryParse(PlainKafka.Header(record, KafkaMessageHeaders.SentTime), out _));
        using var body = JsonDocument.Parse(record.Message.Value);
        Assert.Equal(record.Message.Key, body.RootElement.GetProperty("orderId").GetString());
    }

    static Dictionary<string, string[]> Expected(string state, string? reason)
    {
        var paymentFailed = reason is FailureReasons.PaymentDeclined or FailureReasons.AmountOverLimit;
        var inventoryFailed = reason is FailureReasons.UnknownSku or FailureReasons.OutOfStock;
        return new Dictionary<string, string[]>
        {
            ["orders.events"] = ["OrderSubmitted", state == "Confirmed" ? "OrderConfirmed" : "OrderCancelled"],
            ["inventory.commands"] = paymentFailed ? ["ReserveInventory", "ReleaseInventory"] : ["ReserveInventory"],
            ["inventory.replies"] = inventoryFailed ? ["InventoryReservationFailed"]
                : paymentFailed ? ["InventoryReserved", "InventoryReleased"] : ["InventoryReserved"],
            ["payment.commands"] = inventoryFailed ? [] : ["ChargePayment"],
            ["payment.replies"] = inventoryFailed ? [] : paymentFailed ? ["PaymentFailed"] : ["PaymentCharged"]
        };
    }
}
