using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using SagaEngine.Host.Kafka.DeadLetters;
using SagaEngine.Tests.Kafka.Support;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Schemas;

/// <summary>
/// A dead letter kept from release 1 (no <c>schema-version</c> header, MassTransit's type name, a v1 body) and
/// replayed by this release goes back at the version this release writes, under the message's stable name,
/// so that nothing downstream ever reads a record of an older shape than it was written for.
/// </summary>
public class DeadLetterReplayUpcasting_Specs
{
    const string Topic = "orders.events";

    [Fact]
    public async Task Should_replay_a_release_1_record_at_the_current_version_under_its_stable_name()
    {
        await using var host = new SagaEngineFactory();
        var key = Guid.NewGuid().ToString();
        var id = await DeadLetterFromRelease1(host, key,
            $$"""{"orderId":"{{key}}","total":25,"currency":"EUR"}""");

        var replayed = await Replay(host, id);

        Assert.Equal(("urn:message:sagaengine:order-confirmed", "2"),
            (PlainKafka.Header(replayed, "MT-MessageType"), PlainKafka.Header(replayed, "schema-version")));
        var body = JsonNode.Parse(replayed.Message.Value)!.AsObject();
        Assert.Equal((key, 25m, "EUR"), (body["orderId"]!.GetValue<string>(), body["total"]!.GetValue<decimal>(), body["currency"]!.GetValue<string>()));
        // The fields version 2 added are there, empty, as its upcaster leaves them.
        Assert.True(body.ContainsKey("customerId") && body["customerId"] is null && body["sequence"] is null);
        Assert.Equal(key, replayed.Message.Key);
    }

    [Fact]
    public async Task Should_replay_a_record_its_upcasters_cannot_read_as_it_was_for_its_endpoint_to_judge()
    {
        await using var host = new SagaEngineFactory();
        var key = Guid.NewGuid().ToString();
        var id = await DeadLetterFromRelease1(host, key, "[1]");

        var replayed = await Replay(host, id);

        Assert.Equal("urn:message:SagaEngine.Contracts:OrderConfirmed", PlainKafka.Header(replayed, "MT-MessageType"));
        Assert.Null(replayed.Message.Headers.FirstOrDefault(h => h.Key == "schema-version"));
        Assert.Equal("[1]", Encoding.UTF8.GetString(replayed.Message.Value));
    }

    static async Task<long> DeadLetterFromRelease1(SagaEngineFactory host, string key, string body)
    {
        var headers = DeadLetterRecordHeaders.Serialize([
            new DeadLetterRecordHeaders.Header("MT-MessageType", Encoding.UTF8.GetBytes("urn:message:SagaEngine.Contracts:OrderConfirmed")),
            new DeadLetterRecordHeaders.Header("MessageId", Encoding.UTF8.GetBytes(Guid.NewGuid().ToString())),
            new DeadLetterRecordHeaders.Header("Content-Type", Encoding.UTF8.GetBytes("application/json"))
        ]);
        return await host.Query(async db =>
        {
            var letter = new DeadLetter
            {
                Endpoint = "projection", Group = "projection", Topic = Topic, Partition = 0, Offset = 0, Key = key,
                Headers = headers, Body = Encoding.UTF8.GetBytes(body), SchemaVersion = 1, Fault = "permanent",
                Reason = "A handler of release 1 failed.", Attempts = 1, DeadLetteredAt = DateTime.UtcNow,
                DeadLetterTopic = $"{Topic}.projection.dlq"
            };
            db.Add(letter);
            await db.SaveChangesAsync();
            return letter.Id;
        });
    }

    /// <summary>Replays the dead letter and reads back the very record the replay produced.</summary>
    static async Task<ConsumeResult<string, byte[]>> Replay(SagaEngineFactory host, long id)
    {
        ReplayOutcome outcome;
        using (var scope = host.Services.CreateScope())
            outcome = await scope.ServiceProvider.GetRequiredService<DeadLetterReplay>().Replay(id, CancellationToken.None);
        Assert.Equal(ReplayResult.Replayed, outcome.Result);

        var kafka = (await host.CreateClient().GetFromJsonAsync<JsonObject>("/kafka"))!;
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
            {
                BootstrapServers = kafka["bootstrapServers"]!.GetValue<string>(), GroupId = KafkaNames.Unique("reader"),
                EnableAutoCommit = false
            })
            .SetLogHandler((_, _) => { })
            .Build();
        consumer.Assign(outcome.Delivered!);
        var record = consumer.Consume(Eventually.DefaultTimeout);
        Assert.NotNull(record);
        return record;
    }
}
