using System.Net.Http.Json;
using Confluent.Kafka;
using SagaEngine.Contracts;
using SagaEngine.Host.Api;
using SagaEngine.Host.EventStore.Projections;
using SagaEngine.Host.Persistence;
using SagaEngine.Tests.Kafka.Support;
using SagaEngine.Tests.Persistence;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.EventStore;

/// <summary>
/// A host SIGKILLed after the inventory committed a reservation and before its reply was delivered: the
/// event, the stock row and the reply were committed together, so all three are there, and the next
/// host delivers the reply.
/// </summary>
public class KilledBeforeDelivery_Specs
{
    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Should_keep_the_event_the_row_and_the_reply_together_and_deliver_the_reply_after_the_kill(DatabaseProvider provider)
    {
        await using var database = new TestDatabase(provider);
        await using var broker = await KafkaBrokerProcess.Start();
        var settings = new Dictionary<string, string?>(database.Settings);
        foreach (var (key, value) in broker.HostSettings)
            settings[key] = value;
        var orderId = Guid.NewGuid();

        // The first host consumes but, with its relay off, never delivers: then it dies.
        await using (var first = await HostProcess.Start(new Dictionary<string, string?>(settings) { ["Outbox:RelayEnabled"] = "false" }))
        {
            using var producer = PlainKafka.Producer(broker.BootstrapServers);
            await producer.ProduceAsync("inventory.commands",
                PlainKafka.Message(new ReserveInventory(orderId, [new OrderLine("SKU-1", 3, 1m)]), orderId.ToString()));

            var stream = await Eventually.Get(() => first.Client.GetFromJsonAsync<StreamPage>("/streams/sku-SKU-1"),
                s => s!.Events.Count == 2, "the reservation's event", seconds: 60);
            var reserved = stream!.Events[1];
            Assert.Equal(("StockReserved", orderId, 3), (reserved.Type, reserved.Data.GetProperty("orderId").GetGuid(),
                reserved.Data.GetProperty("quantity").GetInt32()));
            Assert.Equal(new StockView("SKU-1", 999_997, 3, 2), await first.Client.GetFromJsonAsync<StockView>("/inventory/SKU-1"));
            Assert.Equal(1, (await new OrdersClient(first.Client).Outbox()).Pending);

            await first.Kill();
        }

        await using var second = await HostProcess.Start(settings);
        var next = new OrdersClient(second.Client);
        await Eventually.True(async () => (await next.Outbox()).Pending == 0, "the reply committed with the event is delivered", seconds: 60);

        Assert.Equal(2, (await second.Client.GetFromJsonAsync<StreamPage>("/streams/sku-SKU-1"))!.Events.Count);
        Assert.Empty((await second.Client.GetFromJsonAsync<CheckReport>("/projections/inline/stock/check"))!.Differences);
    }
}
