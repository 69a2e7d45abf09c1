using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Microsoft.EntityFrameworkCore;
using SagaEngine.Consumers.Payment;
using SagaEngine.Host.Api;
using SagaEngine.Host.Kafka.DeadLetters;
using SagaEngine.Host.Kafka.Monitoring;
using SagaEngine.Host.Persistence.Outbox;
using SagaEngine.Sagas;
using SagaEngine.Tests.Kafka.Support;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Schemas;

/// <summary>
/// A host of this release whose relay is off: what it consumes changes its tables and fills its outbox,
/// but nothing it writes reaches Kafka. So the only records that can move an order are the ones a test
/// produces, here the records release 1 wrote.
/// </summary>
public sealed class HostThatOnlyReads : IAsyncLifetime
{
    public SagaEngineFactory Host { get; } = new SagaEngineFactory()
        .With("Outbox:RelayEnabled", "false")
        .With("Kafka:CommitIntervalMs", "50");

    public HttpClient Http { get; private set; } = null!;
    public string Bootstrap { get; private set; } = null!;
    public IProducer<string, byte[]> Producer { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Http = Host.CreateClient();
        Bootstrap = (await Http.GetFromJsonAsync<KafkaOverview>("/kafka"))!.BootstrapServers;
        Producer = PlainKafka.Producer(Bootstrap);
    }

    public async Task DisposeAsync()
    {
        Producer.Dispose();
        await Host.DisposeAsync();
    }
}

/// <summary>
/// Old records keep working: each v1 fixture, with fresh ids, is produced record by record onto a host of
/// this release, each once the one before it was consumed, and the order must end as it did on release 1,
/// having taken every step from release 1's records (this host delivers nothing of its own), with nothing
/// dead-lettered and its own events numbered on from the upcast submission.
/// </summary>
public class ReleaseOneReplay_Specs(HostThatOnlyReads reader) : IClassFixture<HostThatOnlyReads>
{
    /// <summary>What release 1 went through for each scenario: the saga's transitions, the ledger, and the sequence number this release gives the order's terminal event.</summary>
    static readonly Dictionary<string, (string[] Transitions, LedgerEntryKind[] Ledger, int TerminalSequence)> Expected = new()
    {
        ["confirmed"] = (["OrderSubmitted", "InventoryReserved", "PaymentCharged"], [LedgerEntryKind.Charge], 4),
        ["payment-declined"] = (["OrderSubmitted", "InventoryReserved", "PaymentFailed", "InventoryReleased"], [LedgerEntryKind.Decline], 5),
        ["amount-over-limit"] = (["OrderSubmitted", "InventoryReserved", "PaymentFailed", "InventoryReleased"], [LedgerEntryKind.Decline], 5),
        ["out-of-stock"] = (["OrderSubmitted", "InventoryReservationFailed"], [], 3),
        ["unknown-sku"] = (["OrderSubmitted", "InventoryReservationFailed"], [], 3),
        ["payment-timeout"] = (["OrderSubmitted", "InventoryReserved", "PaymentTimeout.Received", "InventoryReleased"], [], 5),
        ["late-charge-refunded"] = (["OrderSubmitted", "InventoryReserved", "PaymentTimeout.Received", "InventoryReleased", "PaymentCharged"],
            [LedgerEntryKind.Charge, LedgerEntryKind.Refund], 5),
        // Release 1 cancelled at the timeout; this release waits for the release it sends to be confirmed
        // (compensation can fail, and says so), which release 1's own InventoryReleased record does.
        ["inventory-timeout"] = (["OrderSubmitted", "InventoryTimeout.Received", "InventoryReleased"], [], 4)
    };

    [Theory]
    [MemberData(nameof(ReleaseOneRecords.Names), MemberType = typeof(ReleaseOneRecords))]
    public async Task Should_continue_a_release_1_order_to_the_end_it_reached_then(string scenario)
    {
        var fixture = ReleaseOneRecords.All.Single(s => s.Name == scenario);
        var ids = new ReleaseOneRecords.FreshIds();
        var orderId = Guid.Parse(ids[fixture.OrderId]);

        foreach (var record in fixture.Records)
            await ProduceAndWaitUntilConsumed(record, ids, orderId);

        var order = (await reader.Http.GetFromJsonAsync<OrderView>($"/orders/{orderId}"))!;
        var expected = Expected[scenario];
        Assert.Equal((fixture.State, fixture.FailureReason), (order.State, order.FailureReason));
        Assert.Equal(expected.Transitions, order.History.Select(t => t.Event));
        Assert.Equal(expected.Ledger, await reader.Host.Query(db =>
            db.Set<LedgerEntry>().Where(e => e.OrderId == orderId).OrderBy(e => e.RecordedAt).Select(e => e.Kind).ToListAsync()));
        Assert.Empty(await reader.Host.Query(db => db.Set<DeadLetter>().Where(d => d.Key == orderId.ToString()).ToListAsync()));

        var written = await reader.Host.Query(db => db.Set<OutboxMessage>().Where(m => m.OrderingKey == orderId.ToString()).ToListAsync());
        var last = written.Single(m => m.MessageType.EndsWith(order.State == "Confirmed" ? ":OrderConfirmed" : ":OrderCancelled"));
        Assert.Equal(2, last.SchemaVersion);
        Assert.Equal(expected.TerminalSequence, JsonNode.Parse(last.Body)!["sequence"]!.GetValue<int>());
    }

    async Task ProduceAndWaitUntilConsumed(ReleaseOneRecords.Record record, ReleaseOneRecords.FreshIds ids, Guid orderId)
    {
        var headers = new Headers();
        foreach (var (name, value) in record.Headers)
            headers.Add(name, Encoding.UTF8.GetBytes(name == "MT-Scheduling-TokenId" ? await SchedulingToken(record, orderId) ?? ids[value] : ids[value]));
        var delivered = await reader.Producer.ProduceAsync(record.Topic,
            new Message<string, byte[]> { Key = ids[record.Key], Headers = headers, Value = Encoding.UTF8.GetBytes(ids[record.Body]) });

        var group = record.Topic switch
        {
            "inventory.commands" => "inventory",
            "payment.commands" => "payment",
            _ => "order-saga"
        };
        await Eventually.True(async () => await PlainKafka.Committed(reader.Bootstrap, group, delivered.TopicPartition) > delivered.Offset.Value,
            $"{group} consumed {record.MessageType} at {delivered.TopicPartitionOffset}");
    }

    /// <summary>
    /// A timeout counts only with the token its order waits for. Release 1's order held the one in the record;
    /// this order, started from the same records, holds its own.
    /// </summary>
    async Task<string?> SchedulingToken(ReleaseOneRecords.Record record, Guid orderId)
    {
        var order = await reader.Host.Query(db => db.Set<OrderState>().AsNoTracking().SingleOrDefaultAsync(o => o.CorrelationId == orderId));
        return record.MessageType.Split(':')[^1] switch
        {
            "InventoryTimedOut" => order?.InventoryTimeoutToken?.ToString(),
            "PaymentTimedOut" => order?.PaymentTimeoutToken?.ToString(),
            _ => null
        };
    }
}
