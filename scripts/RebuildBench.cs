#:project ../SagaEngine.csproj
#:project ../Bench/SagaEngine.Bench.csproj
#:package Microsoft.AspNetCore.Mvc.Testing@10.0.5
#:property PublishAot=false
#:property NoWarn=CS1591

// Projection rebuild benchmark, run by rebuild-bench.sh. The host runs in this process (its projection
// runners off, so each rebuild works alone); its projections read topics of their own (bench.*).
//   store:   the N synthetic orders appended to the host's event store, as the order stream keeps them; rebuilds read its global feed
//   memory:  the same events served from memory in global order, as the feed serves them: the rebuild's cost without the store's reads
//   kafka:   no history; rebuilds read the N orders from the projections' topics (what Kafka retains), produced in the wire format
// A rebuild's rate is the events it read over its whole duration: emptying the tables, reading, applying, catching up, swapping.

using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SagaEngine.Contracts;
using SagaEngine.EventSourcing;
using SagaEngine.Bench.Hosting;
using SagaEngine.Host.Projections.Rebuild;

var orders = 50_000;
var runs = 3;
string[] providers = ["sqlite", "postgres"];
string[] sources = ["store", "kafka"];
string[] projections = ["customer-orders", "sales", "order-stats"];
for (var i = 0; i < args.Length; i += 2)
    switch (args[i])
    {
        case "--orders": orders = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--runs": runs = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--providers": providers = args[i + 1].Split(','); break;
        case "--sources": sources = args[i + 1].Split(','); break;
        case "--projections": projections = args[i + 1].Split(','); break;
        default:
            Console.Error.WriteLine("usage: rebuild-bench.sh [--orders N] [--runs R] [--providers sqlite,postgres] [--sources store,memory,kafka] [--projections a,b]");
            return 2;
    }

string[] topics = ["bench.orders.events", "bench.inventory.replies", "bench.payment.replies"];
// The host's content root (its appsettings.json), which WebApplicationFactory cannot find from this script's output folder.
Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_SAGAENGINE", Path.GetFullPath(".."));
var synthetic = Synthetic.Orders(orders);
var results = new List<(string Provider, string Source, string Projection, long Events, double[] Rates)>();
Console.WriteLine($"{orders} orders, {synthetic.Count} events; {runs} rebuilds of each projection per database and source; " +
                  $"{Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");

foreach (var provider in providers)
foreach (var source in sources)
{
    await using var postgres = provider == "postgres" ? await LocalPostgres.StartAsync(CancellationToken.None) : null;
    var data = Directory.CreateTempSubdirectory("sagaengine-rebuild-bench-").FullName;
    var history = new SyntheticHistory(source == "memory" ? synthetic : []);
    await using var host = new WebApplicationFactory<ProjectionRebuilds>().WithWebHostBuilder(b =>
    {
        b.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        b.UseSetting("Projections:Enabled", "false");
        b.UseSetting("Projections:RetiredVersionGrace", "00:00:01");
        if (postgres is null)
            b.UseSetting("Database:SqlitePath", Path.Combine(data, "bench.db"));
        else
        {
            b.UseSetting("Database:Provider", "Postgres");
            b.UseSetting("ConnectionStrings:SagaEngine", postgres.ConnectionString.Replace(HostLaunchSettings.RunPlaceholder, "rebuild"));
        }
        foreach (var projection in (string[])["customer-orders", "sales", "order-stats"])
            for (var t = 0; t < topics.Length; t++)
                b.UseSetting($"Kafka:Endpoints:{projection}:Topics:{t}", topics[t]);
        if (source == "memory")
            b.ConfigureTestServices(s => s.AddSingleton<IEventHistory>(history));
        else if (source == "kafka")
            b.ConfigureTestServices(s => s.RemoveAll<IEventHistory>());
    });
    var http = host.CreateClient();
    http.Timeout = TimeSpan.FromMinutes(10);
    if (source == "kafka")
    {
        var bootstrap = (await http.GetFromJsonAsync<JsonElement>("/kafka")).GetProperty("bootstrapServers").GetString()!;
        Synthetic.Produce(bootstrap, synthetic);
    }
    else if (source == "store")
        await Synthetic.Append(host.Services, synthetic);

    foreach (var projection in projections)
    {
        var rates = new List<double>();
        long events = 0;
        for (var run = 0; run < runs; run++)
        {
            var started = await http.PostAsync($"/projections/{projection}/rebuild", null);
            started.EnsureSuccessStatusCode();
            var version = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32();
            var last = await Finished(http, projection, version);
            if (last.GetProperty("outcome").GetString() != "completed")
                throw new InvalidOperationException($"{projection} v{version}: {last}");
            events = last.GetProperty("events").GetInt64();
            var seconds = last.GetProperty("seconds").GetDouble();
            rates.Add(events / seconds);
            Console.WriteLine($"{provider} {source} {projection} run {run + 1}: {events} events in {seconds:0.00} s = {events / seconds:0} events/s");
        }
        results.Add((provider, source, projection, events, rates.ToArray()));
    }
    try { Directory.Delete(data, recursive: true); } catch (IOException) { }
}

Console.WriteLine();
Console.WriteLine("| database | source | projection | events | events/s, median | runs |");
Console.WriteLine("| --- | --- | --- | ---: | ---: | --- |");
foreach (var (provider, source, projection, events, rates) in results)
    Console.WriteLine($"| {provider} | {source} | {projection} | {events} | {rates.Order().ElementAt(rates.Length / 2):0} | " +
                      $"{string.Join(", ", rates.Select(r => r.ToString("0", CultureInfo.InvariantCulture)))} |");
return 0;

static async Task<JsonElement> Finished(HttpClient http, string projection, int version)
{
    while (true)
    {
        var all = await http.GetFromJsonAsync<JsonElement>("/projections");
        var view = all.EnumerateArray().First(p => p.GetProperty("name").GetString() == projection);
        if (view.GetProperty("rebuild").ValueKind == JsonValueKind.Null && view.GetProperty("lastRebuild") is { ValueKind: JsonValueKind.Object } last
                                                                        && last.GetProperty("version").GetInt32() == version)
            return last;
        await Task.Delay(100);
    }
}

/// <summary>One event of a synthetic order: the contract, as the event store keeps it, and its JSON, as the relay puts it on Kafka.</summary>
sealed record SyntheticEvent(string Topic, string Name, Guid OrderId, int Sequence, DateTime At, string Json, object Message);

/// <summary>An event history of the synthetic orders, in global order.</summary>
sealed class SyntheticHistory(IReadOnlyList<SyntheticEvent> events) : IEventHistory
{
    public Task<IReadOnlyList<HistoryEvent>> Read(long after, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<HistoryEvent>>(events.Skip((int)after).Take(limit)
            .Select((e, i) => new HistoryEvent(after + i + 1, $"order-{e.OrderId}", e.Sequence, $"urn:message:{e.Name}", 2, e.Json, e.At)).ToList());

    public Task<long?> LastPosition(CancellationToken cancellationToken) => Task.FromResult<long?>(events.Count == 0 ? null : events.Count);
}

static class Synthetic
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Orders spread over the last day, each submitted, reserved, charged and confirmed (sequence numbers 1 to 4).</summary>
    public static IReadOnlyList<SyntheticEvent> Orders(int orders)
    {
        var events = new List<SyntheticEvent>(orders * 4);
        var start = DateTime.UtcNow.AddDays(-1);
        var step = TimeSpan.FromDays(1) / Math.Max(1, orders);
        for (var i = 0; i < orders; i++)
        {
            var id = Guid.NewGuid();
            var at = start + step * i;
            var customer = $"cust-{i % 1000}";
            var quantity = 1 + i % 3;
            OrderLine[] lines = [new($"SKU-{1 + i % 5}", quantity, 9.90m)];
            var total = quantity * 9.90m;
            events.Add(Event("bench.orders.events", "sagaengine:order-submitted", at,
                new OrderSubmitted(id, customer, "EUR", lines, total, "tok_ok", at)));
            events.Add(Event("bench.inventory.replies", "sagaengine:inventory-reserved", at.AddMilliseconds(20), new InventoryReserved(id, 2)));
            events.Add(Event("bench.payment.replies", "sagaengine:payment-charged", at.AddMilliseconds(40), new PaymentCharged(id, total, "EUR", 3)));
            events.Add(Event("bench.orders.events", "sagaengine:order-confirmed", at.AddMilliseconds(60),
                new OrderConfirmed(id, total, "EUR", customer, lines, 4)));
        }
        return events;
    }

    static SyntheticEvent Event(string topic, string name, DateTime at, object message)
    {
        var (orderId, sequence) = message switch
        {
            OrderSubmitted m => (m.OrderId, m.Sequence),
            InventoryReserved m => (m.OrderId, m.Sequence!.Value),
            PaymentCharged m => (m.OrderId, m.Sequence!.Value),
            OrderConfirmed m => (m.OrderId, m.Sequence!.Value),
            _ => throw new ArgumentException(message.GetType().Name)
        };
        return new(topic, name, orderId, sequence, at, JsonSerializer.Serialize(message, message.GetType(), Json), message);
    }

    /// <summary>The events appended to the host's event store, each order one stream (<c>order-{id}</c>), dated when they happened.</summary>
    public static async Task Append(IServiceProvider services, IReadOnlyList<SyntheticEvent> events)
    {
        foreach (var chunk in events.GroupBy(e => e.OrderId).Chunk(250))
        {
            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<IEventStreams>().Append(chunk
                .Select(order => new StreamAppend($"order-{order.Key}", 0, order.Select(e => new NewEvent(e.Message, OccurredAt: e.At)).ToList()))
                .ToList());
        }
    }

    /// <summary>The events as the relay writes them: stable message name, schema version, sent time, keyed by order.</summary>
    public static void Produce(string bootstrap, IReadOnlyList<SyntheticEvent> events)
    {
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrap, EnableIdempotence = true, Acks = Acks.All, LingerMs = 20, BatchNumMessages = 10_000
        }).SetLogHandler((_, _) => { }).Build();
        foreach (var e in events)
        {
            var headers = new Headers
            {
                { "MT-MessageType", Encoding.UTF8.GetBytes($"urn:message:{e.Name}") },
                { "MessageId", Encoding.UTF8.GetBytes(Guid.NewGuid().ToString()) },
                { "Content-Type", Encoding.UTF8.GetBytes("application/json") },
                { "SentTime", Encoding.UTF8.GetBytes(e.At.ToString("O", CultureInfo.InvariantCulture)) },
                { "schema-version", "2"u8.ToArray() }
            };
            var message = new Message<string, byte[]>
            {
                Key = e.OrderId.ToString(), Value = Encoding.UTF8.GetBytes(e.Json), Headers = headers, Timestamp = new Timestamp(e.At)
            };
            while (true)
            {
                try
                {
                    producer.Produce(e.Topic, message);
                    break;
                }
                catch (ProduceException<string, byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(100));
                }
            }
        }
        producer.Flush(TimeSpan.FromMinutes(5));
    }
}
