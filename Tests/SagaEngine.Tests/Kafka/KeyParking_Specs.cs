using System.Text;
using Confluent.Kafka;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SagaEngine.Host.Kafka.DeadLetters;
using SagaEngine.Host.Kafka.Parking;
using SagaEngine.Host.Kafka.Producing;
using SagaEngine.Host.Persistence;
using SagaEngine.Tests.Kafka.Consumers;
using SagaEngine.Tests.Kafka.Messages;
using SagaEngine.Tests.Kafka.Support;
using SagaEngine.Tests.Persistence;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Kafka;

/// <summary>
/// The generic layer with a database: a record that keeps failing sets aside its key only. It and every
/// later record of its key are parked, in order, while the partition commits on past them and the other
/// keys flow; once its deliveries are exhausted it is dead-lettered and the key held; replay or discard
/// releases the key's records, in their order. All on a one-partition topic, on each database.
/// </summary>
public class KeyParking_Specs(KafkaBrokerFixture kafka) : IClassFixture<KafkaBrokerFixture>
{
    const string PoisonedKey = "poisoned";
    const int Attempts = 3;

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Should_park_the_failing_key_while_the_others_flow_then_replay_it_and_its_followers_in_order(DatabaseProvider provider)
    {
        await using var database = new TestDatabase(provider);
        var (topic, group) = (kafka.Topic(partitions: 1), KafkaNames.Unique("group"));
        var (log, behaviour) = (new ConsumedLog(), new PingBehaviour());
        await using var host = await Start(topic, group, database, log, behaviour);
        var poisoned = Pings(PoisonedKey, 3, poisonFirst: true);
        var others = Enumerable.Range(0, 6).Select(i => new Ping(Guid.NewGuid(), $"other-{i}", 0)).ToList();

        // other-0, poisoned/0, other-1, poisoned/1, other-2, poisoned/2, other-3..5
        await Produce(host, topic, [others[0], poisoned[0], others[1], poisoned[1], others[2], poisoned[2], ..others[3..]]);

        // The other keys are done, and the partition is committed to its end, while the poisoned key is still retried.
        await Eventually.True(() => others.All(o => log.Succeeded.Any(e => e.Id == o.Id)), "the other keys consumed");
        await Eventually.Get(() => PlainKafka.Committed(kafka.BootstrapServers, group, new TopicPartition(topic, 0)), o => o == 9,
            "the partition committed past the parked records");
        Assert.DoesNotContain(log.Succeeded, e => e.Key == PoisonedKey);

        var letter = await DeadLetterOf(host, topic);
        Assert.Equal(("attempts-exhausted", Attempts, 1L), (letter.Fault, letter.Attempts, letter.Offset));
        var held = await HeldBehind(host, letter);
        Assert.Equal((PoisonedKey, (DateTime?)null), (held.Key.Key, held.Key.RetryAt));
        Assert.Equal([3L, 5L], held.Records.Select(r => r.Offset));
        Assert.Equal(Attempts, log.All.Where(e => e.Id == poisoned[0].Id).Select(e => e.Record.Attempt).Distinct().Count());
        Assert.Equal(3, host.Endpoint("pings").Counters.Snapshot().Parked);

        behaviour.PoisonFixed = true;
        var replayed = await Scoped(host, s => s.GetRequiredService<DeadLetterReplay>().Replay(letter.Id, CancellationToken.None));
        Assert.Equal((ReplayResult.Replayed, 2, letter.Offset), (replayed.Result, replayed.ReleasedFollowers, replayed.Delivered!.Offset.Value));

        await Eventually.True(() => log.Succeeded.Count(e => e.Key == PoisonedKey) == 3, "the poisoned key's records consumed");
        Assert.Equal([0, 1, 2], log.Succeeded.Where(e => e.Key == PoisonedKey).Select(e => e.Sequence));
        await Eventually.True(async () => await Parked(host) == (0, 0), "nothing parked any more");

        // The key flows again as any other.
        var after = new Ping(Guid.NewGuid(), PoisonedKey, 3);
        await Produce(host, topic, [after]);
        await Eventually.True(() => log.Succeeded.Any(e => e.Id == after.Id), "a later record of the key consumed straight away");
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Should_release_the_followers_in_order_without_the_record_when_its_dead_letter_is_discarded(DatabaseProvider provider)
    {
        await using var database = new TestDatabase(provider);
        var (topic, group) = (kafka.Topic(partitions: 1), KafkaNames.Unique("group"));
        var (log, behaviour) = (new ConsumedLog(), new PingBehaviour());
        await using var host = await Start(topic, group, database, log, behaviour);
        var poisoned = Pings(PoisonedKey, 3, poisonFirst: true);

        await Produce(host, topic, poisoned);
        var letter = await DeadLetterOf(host, topic);
        Assert.Equal(2, (await HeldBehind(host, letter)).Records.Count);

        var discarded = await Scoped(host, s => s.GetRequiredService<DeadLetterReplay>().Discard(letter.Id, CancellationToken.None));
        Assert.Equal((ReplayResult.Discarded, 2), (discarded.Result, discarded.ReleasedFollowers));

        await Eventually.True(() => log.Succeeded.Count(e => e.Key == PoisonedKey) == 2, "the followers consumed");
        Assert.Equal([1, 2], log.Succeeded.Where(e => e.Key == PoisonedKey).Select(e => e.Sequence));
        await Eventually.True(async () => await Parked(host) == (0, 0), "nothing parked any more");
        var again = await Scoped(host, s => s.GetRequiredService<DeadLetterReplay>().Replay(letter.Id, CancellationToken.None));
        Assert.Equal(ReplayResult.AlreadyDiscarded, again.Result);
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Should_keep_the_key_parked_through_a_restart_and_lose_none_of_its_records(DatabaseProvider provider)
    {
        await using var database = new TestDatabase(provider);
        var (topic, group) = (kafka.Topic(partitions: 1), KafkaNames.Unique("group"));
        var (log, behaviour) = (new ConsumedLog(), new PingBehaviour());
        var poisoned = Pings(PoisonedKey, 4, poisonFirst: true);

        long deadLetterId;
        await using (var first = await Start(topic, group, database, log, behaviour, name: "first"))
        {
            await Produce(first, topic, poisoned[..3]);
            var letter = await DeadLetterOf(first, topic);
            Assert.Equal(2, (await HeldBehind(first, letter)).Records.Count);
            deadLetterId = letter.Id;
        }

        await using var second = await Start(topic, group, database, log, behaviour, name: "second");
        var other = new Ping(Guid.NewGuid(), "other", 0);
        await Produce(second, topic, [poisoned[3], other]);
        await Eventually.True(() => log.Succeeded.Any(e => e.Id == other.Id), "another key consumed by the restarted host");
        await Eventually.True(async () => await Parked(second) == (1, 3), "the key still parked, with its three followers");
        Assert.DoesNotContain(log.Succeeded, e => e.Key == PoisonedKey);

        behaviour.PoisonFixed = true;
        var replayed = await Scoped(second, s => s.GetRequiredService<DeadLetterReplay>().Replay(deadLetterId, CancellationToken.None));
        Assert.Equal(3, replayed.ReleasedFollowers);
        await Eventually.True(() => log.Succeeded.Count(e => e.Key == PoisonedKey) == 4, "the key's records consumed");
        Assert.Equal([0, 1, 2, 3], log.Succeeded.Where(e => e.Key == PoisonedKey).Select(e => e.Sequence));
        Assert.All(log.Succeeded.Where(e => e.Key == PoisonedKey), e => Assert.Equal("second", e.Host));
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Should_hold_a_key_behind_a_permanent_fault_but_not_behind_an_unreadable_record(DatabaseProvider provider)
    {
        await using var database = new TestDatabase(provider);
        var (topic, group) = (kafka.Topic(partitions: 1), KafkaNames.Unique("group"));
        var log = new ConsumedLog();
        await using var host = await Start(topic, group, database, log, new PingBehaviour());
        var invalid = new Ping(Guid.NewGuid(), "invalid-key", 0, PingBehaviour.Invalid);
        var behindInvalid = new Ping(Guid.NewGuid(), "invalid-key", 1);
        var behindGarbage = new Ping(Guid.NewGuid(), "forged-key", 1);

        await Produce(host, topic, [invalid, behindInvalid]);
        using (var producer = PlainKafka.Producer(kafka.BootstrapServers))
        {
            var headers = new Headers { { KafkaMessageHeaders.MessageType, Encoding.UTF8.GetBytes(MassTransit.MessageUrn.ForTypeString<Ping>()) } };
            await producer.ProduceAsync(topic, new Message<string, byte[]> { Key = "forged-key", Value = "not json"u8.ToArray(), Headers = headers });
        }
        await Produce(host, topic, [behindGarbage]);

        // A forged record, whatever key it claims, is dead-lettered and its key goes on.
        await Eventually.True(() => log.Succeeded.Any(e => e.Id == behindGarbage.Id), "the record behind the garbage consumed");
        var permanent = await DeadLetterOf(host, topic, "invalid-key");
        Assert.Equal(("permanent", 1), (permanent.Fault, permanent.Attempts));
        var held = await Eventually.Get(() => Held(host, permanent), h => h?.Records.Count == 1, "the record behind it parked");
        Assert.Equal((0L, 1L), (held!.Key.HeldBy, held.Records.Single().Offset));
        Assert.DoesNotContain(log.Succeeded, e => e.Id == behindInvalid.Id);
        Assert.Null(await Held(host, await DeadLetterOf(host, topic, "forged-key")));
    }

    Task<KafkaTestHost> Start(string topic, string group, TestDatabase database, ConsumedLog log, PingBehaviour behaviour,
        string name = "host") =>
        KafkaTestHost.Start(
            KafkaSettings.For(kafka.BootstrapServers, ("MaxDeliveryAttempts", Attempts.ToString())).WithEndpoint("pings", topic, group),
            k => k.AddEndpoint("pings", e => e.Consumer<PingConsumer>()), log, behaviour, name, database);

    static List<Ping> Pings(string key, int count, bool poisonFirst) =>
        Enumerable.Range(0, count).Select(i => new Ping(Guid.NewGuid(), key, i, i == 0 && poisonFirst ? PingBehaviour.Poison : null)).ToList();

    static Task Produce(KafkaTestHost host, string topic, IEnumerable<Ping> pings) =>
        host.Services.GetRequiredService<IKafkaProducer>().ProduceBatch(
            pings.Select(p => KafkaRecord.ForMessage(topic, p.Key, p, Guid.NewGuid())).ToList());

    static async Task<DeadLetter> DeadLetterOf(KafkaTestHost host, string topic, string key = PoisonedKey) =>
        (await Eventually.Get<DeadLetter?>(() => Scoped(host, s => s.GetRequiredService<DbContext>().Set<DeadLetter>().AsNoTracking()
            .SingleOrDefaultAsync(d => d.Topic == topic && d.Key == key)), d => d is not null, $"the record of {key} dead-lettered"))!;

    /// <summary>The key once it is held behind the dead letter (dead-lettering and holding are two steps), with every follower produced so far.</summary>
    static async Task<ParkedKeyView> HeldBehind(KafkaTestHost host, DeadLetter letter) =>
        (await Eventually.Get(() => Held(host, letter), h => h?.Key.HeldBy == letter.Offset, "the key held behind its dead letter"))!;

    static Task<ParkedKeyView?> Held(KafkaTestHost host, DeadLetter letter) =>
        Scoped(host, s => s.GetRequiredService<HeldKeys>().Of(letter, CancellationToken.None));

    static Task<(int Keys, int Records)> Parked(KafkaTestHost host) =>
        Scoped(host, async s =>
        {
            var db = s.GetRequiredService<DbContext>();
            return (await db.Set<ParkedKey>().CountAsync(), await db.Set<ParkedRecord>().CountAsync());
        });

    static async Task<T> Scoped<T>(KafkaTestHost host, Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }
}
