using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SagaEngine.Bench.Figures;
using SagaEngine.Bench.Machine;
using SagaEngine.Consumers.Inventory;
using SagaEngine.EventSourcing;
using SagaEngine.Host.EventStore;
using SagaEngine.Host.EventStore.Projections;
using SagaEngine.Host.EventStore.Snapshots;

namespace SagaEngine.EventStoreBench;

/// <summary>
/// <c>dotnet run -c Release --project EventStoreBench -- [--postgres] [--events N] [--snapshot-every N] [--writers N]
/// [--seconds N] [--as-of N] [--as-of-without N]</c>: appends per second, temporal-query latency on one SKU
/// stream of N events with and without snapshots, and rebuild speed. Prints the figures; exits 1 if an
/// answer was wrong (the figures of a wrong answer are no figures).
/// </summary>
public static class EventStoreBenchProgram
{
    public static async Task<int> Main(string[] args)
    {
        var options = Options.Parse(args);
        if (options is null)
        {
            Console.Error.WriteLine(Options.Usage);
            return 2;
        }
        var machine = MachineInfo.Detect();
        await using var store = await StoreUnderTest.Start(options.Postgres, options.SnapshotEvery, CancellationToken.None);
        Print($"machine: {machine.CpuModel}, {machine.Cores} cores, {machine.MemoryGiB} GiB, {machine.OperatingSystem}, {machine.DotNet}");
        Print($"database: {store.Description}; EventStore:SnapshotEvery={options.SnapshotEvery}");

        await AppendsToOwnStreams(store, options);
        await AppendsToOneHotSku(store, options);
        var stream = await Seed(store, options);
        await WriteSnapshots(store, stream);
        var ok = await AsOf(store, stream, options);
        await Rebuild(store);
        return ok ? 0 : 1;
    }

    /// <summary>Writers each appending one event per transaction to a stream of their own: the store's insert and commit, nothing else.</summary>
    static async Task AppendsToOwnStreams(StoreUnderTest store, Options options)
    {
        var (count, seconds) = await ForSeconds(options.Writers, options.Seconds, async (writer, version) =>
        {
            await store.In(async s =>
            {
                await s.GetRequiredService<IEventStreams>().Append($"bench-w{writer}", version, new StockReceived(1, StockSources.Receipt));
                return 0;
            });
        });
        Print($"appends, {options.Writers} writers, own streams, one event per transaction: {count / seconds:0} appends/s ({count} in {seconds:0.0} s)");
    }

    /// <summary>
    /// Writers receiving stock into one SKU the way the services change stock: the row's counts and version
    /// in the database, then the event at that version, one transaction each. They queue on the row.
    /// </summary>
    static async Task AppendsToOneHotSku(StoreUnderTest store, Options options)
    {
        var (count, seconds) = await ForSeconds(options.Writers, options.Seconds, (_, _) =>
            store.In(async s => (await s.GetRequiredService<StockReceipts>().Receive("BENCH-HOT", 1, StockSources.Receipt, CancellationToken.None))!));
        Print($"appends, {options.Writers} writers, one SKU (row lock, then the event): {count / seconds:0} appends/s ({count} in {seconds:0.0} s)");
    }

    static async Task<(long Count, double Seconds)> ForSeconds(int writers, int seconds, Func<int, long, Task> append)
    {
        var until = Stopwatch.StartNew();
        var total = 0L;
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            long version = 0;
            while (until.Elapsed.TotalSeconds < seconds)
            {
                await append(w, version);
                version++;
                Interlocked.Increment(ref total);
            }
        })));
        return (total, until.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// One SKU stream of N events: a receipt, then orders reserving and releasing. One append per event,
    /// so each has a time of its own (as events appended over time have), a thousand to a transaction;
    /// the SKU's row is written last.
    /// </summary>
    static async Task<string> Seed(StoreUnderTest store, Options options)
    {
        const string sku = "BENCH-1M";
        const int perTransaction = 1000;
        var stream = StockFold.StreamId(sku);
        var clock = Stopwatch.StartNew();
        var level = StockFold.Instance.Initial;
        for (long version = 0; version < options.Events; version += perTransaction)
        {
            var from = version;
            level = await store.In(async s =>
            {
                var db = s.GetRequiredService<DbContext>();
                var events = s.GetRequiredService<IEventStreams>();
                await using var transaction = await db.Database.BeginTransactionAsync();
                var state = level;
                for (var v = from + 1; v <= Math.Min(options.Events, from + perTransaction); v++)
                {
                    object e = v == 1 ? new StockReceived(10_000_000, StockSources.InitialStock)
                        : v % 2 == 0 ? new StockReserved(OrderOf(v), (int)(v % 3) + 1)
                        : new StockReleased(OrderOf(v - 1), (int)((v - 1) % 3) + 1);
                    await events.Append(stream, v - 1, e);
                    state = StockFold.Instance.Apply(state, e);
                }
                await transaction.CommitAsync();
                return state;
            });
        }
        await store.In(async s =>
        {
            await s.GetRequiredService<StockRows>().Write(sku, level, checked((int)options.Events), CancellationToken.None);
            return 0;
        });
        Print($"seeded {stream}: {options.Events} events, one append each, {perTransaction} to a transaction, " +
              $"in {clock.Elapsed.TotalSeconds:0.0} s ({options.Events / clock.Elapsed.TotalSeconds:0} appends/s)");
        return stream;

        static Guid OrderOf(long version) => new((int)(version >> 32), (short)0, (short)0, BitConverter.GetBytes(version));
    }

    static async Task WriteSnapshots(StoreUnderTest store, string stream)
    {
        var clock = Stopwatch.StartNew();
        var written = await store.In(s => s.GetRequiredService<SnapshotCatchUp>().Run(stream, CancellationToken.None));
        Print($"snapshots: {written} written for {stream} in {clock.Elapsed.TotalSeconds:0.0} s (what the background writer does once)");
    }

    /// <summary>asOf at random times of the stream's life, from snapshots and from the first event; a sample of each checked against the other.</summary>
    static async Task<bool> AsOf(StoreUnderTest store, string stream, Options options)
    {
        var (first, last) = await store.In(async s =>
        {
            var reader = s.GetRequiredService<EventStreamReader>();
            return ((await reader.Read(stream, 1, 1, CancellationToken.None))[0].RecordedAt,
                (await reader.Read(stream, options.Events, 1, CancellationToken.None))[0].RecordedAt);
        });
        var random = new Random(7);
        DateTime RandomTime() => StreamAggregator.Microseconds(first.AddTicks(random.NextInt64((last - first).Ticks + 1)));

        for (var i = 0; i < 50; i++)
            await Query(RandomTime(), useSnapshots: true);
        var with = new List<double>();
        var folded = new List<int>();
        for (var i = 0; i < options.AsOfSamples; i++)
        {
            var (milliseconds, _, eventsFolded) = await Query(RandomTime(), useSnapshots: true);
            with.Add(milliseconds);
            folded.Add(eventsFolded);
        }
        var without = new List<double>();
        var agree = true;
        for (var i = 0; i < options.AsOfWithoutSamples; i++)
        {
            var time = RandomTime();
            var (milliseconds, answer, _) = await Query(time, useSnapshots: false);
            without.Add(milliseconds);
            var fromSnapshot = (await Query(time, useSnapshots: true)).Answer;
            agree &= answer == fromSnapshot;
        }
        with.Sort();
        without.Sort();
        Print($"asOf on {stream} ({options.Events} events), with snapshots, {with.Count} random times: " +
              $"p50 {Percentiles.Of(with, 0.5):0.00} ms, p99 {Percentiles.Of(with, 0.99):0.00} ms, max {with[^1]:0.00} ms; " +
              $"events folded after the snapshot: mean {folded.Average():0}, max {folded.Max()}");
        Print($"asOf on {stream}, without snapshots (folding from the first event), {without.Count} random times: " +
              $"p50 {Percentiles.Of(without, 0.5):0} ms, p99 {Percentiles.Of(without, 0.99):0} ms");
        Print(agree ? "asOf answers with and without snapshots agree" : "WRONG: asOf answers with and without snapshots differ");
        return agree;

        async Task<(double Milliseconds, (StockLevel, long)? Answer, int EventsFolded)> Query(DateTime time, bool useSnapshots)
        {
            var clock = Stopwatch.StartNew();
            var state = await store.In(s => s.GetRequiredService<StreamAggregator>()
                .AsOf(StockFold.Instance, stream, time, useSnapshots, CancellationToken.None));
            return (clock.Elapsed.TotalMilliseconds, state is null ? null : (state.State, state.Version), state?.EventsFolded ?? 0);
        }
    }

    static async Task Rebuild(StoreUnderTest store)
    {
        var report = await store.In(s =>
        {
            var runner = s.GetRequiredService<InlineProjectionRunner>();
            return runner.Rebuild(runner.Find(StockProjection.ProjectionName)!, CancellationToken.None);
        });
        Print($"rebuild of '{report.Name}': {report.Events} events of {report.Streams} streams in {report.Seconds:0.0} s " +
              $"({report.EventsPerSecond:0} events/s), {report.RowsWritten} rows written");
    }

    static void Print(string line) => Console.WriteLine(line);

    sealed record Options(bool Postgres, long Events, int SnapshotEvery, int Writers, int Seconds, int AsOfSamples, int AsOfWithoutSamples)
    {
        public const string Usage =
            "usage: EventStoreBench [--postgres] [--events 1000000] [--snapshot-every 500] [--writers 8] [--seconds 10] [--as-of 1000] [--as-of-without 20]";

        public static Options? Parse(string[] args)
        {
            var o = new Options(false, 1_000_000, 500, 8, 10, 1000, 20);
            for (var i = 0; i < args.Length; i++)
            {
                long Number() => i + 1 < args.Length && long.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
                    ? n
                    : throw new FormatException(args[i]);
                try
                {
                    o = args[i] switch
                    {
                        "--postgres" => o with { Postgres = true },
                        "--events" => o with { Events = Number() },
                        "--snapshot-every" => o with { SnapshotEvery = (int)Number() },
                        "--writers" => o with { Writers = (int)Number() },
                        "--seconds" => o with { Seconds = (int)Number() },
                        "--as-of" => o with { AsOfSamples = (int)Number() },
                        "--as-of-without" => o with { AsOfWithoutSamples = (int)Number() },
                        _ => throw new FormatException(args[i])
                    };
                }
                catch (FormatException)
                {
                    return null;
                }
            }
            return o;
        }
    }
}
