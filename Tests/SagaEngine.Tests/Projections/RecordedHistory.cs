using System.Globalization;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using SagaEngine.Host.Kafka.Producing;
using SagaEngine.Host.Messaging.Schemas;
using SagaEngine.Host.Projections.Rebuild;
using SagaEngine.Host.Schemas;
using SagaEngine.Tests.Kafka.Support;

namespace SagaEngine.Tests.Projections;

/// <summary>
/// An event history for rebuild specs, shaped as the event store's global feed will be: each order's
/// events once, with their sequence numbers as stream versions, at their current schema version, in the
/// order they happened. Filled from what the flow put on the event topics, plus any events a spec adds
/// (older than Kafka's retention, as far as the projections can tell). It can be told to fail partway.
/// </summary>
public sealed class RecordedHistory : IEventHistory
{
    static readonly ContractSchemas Schemas = new();
    readonly Lock _lock = new();
    List<HistoryEvent> _events = [];
    readonly List<(string Stream, long Version, string Type, int SchemaVersion, string Data, DateTime At)> _older = [];

    /// <summary>Reading past this position throws, as a store that went away mid-rebuild would.</summary>
    public long? FailAfter { get; set; }

    public int Count
    {
        get
        {
            lock (_lock)
                return _events.Count;
        }
    }

    public Task<IReadOnlyList<HistoryEvent>> Read(long after, int limit, CancellationToken cancellationToken)
    {
        if (after >= FailAfter)
            throw new InvalidOperationException($"The event history did not answer after position {after}.");
        lock (_lock)
            return Task.FromResult<IReadOnlyList<HistoryEvent>>(_events.Where(e => e.Position > after).Take(limit).ToList());
    }

    public Task<long?> LastPosition(CancellationToken cancellationToken)
    {
        lock (_lock)
            return Task.FromResult(_events.Count == 0 ? null : (long?)_events[^1].Position);
    }

    /// <summary>
    /// Rebuilds the history from every order event now on the event topics, plus the older events given
    /// now or before (the store keeps them; the topics no longer do).
    /// </summary>
    public void Fill(string bootstrap, IEnumerable<(object Message, DateTime At)>? older = null)
    {
        lock (_lock)
            _older.AddRange((older ?? []).Select(o => Event(o.Message, o.At)));
        List<(string Stream, long Version, string Type, int SchemaVersion, string Data, DateTime At)> events;
        lock (_lock)
            events = [.._older];
        foreach (var topic in new[] { "orders.events", "inventory.replies", "payment.replies" })
        {
            var count = RecordsOn(bootstrap, topic);
            events.AddRange(PlainKafka.ReadAll(bootstrap, topic, count).Select(FromRecord).OfType<(string, long, string, int, string, DateTime)>());
        }

        var seen = new HashSet<(string, long)>();
        var ordered = events.OrderBy(e => e.At).Where(e => e.Version < 0 || seen.Add((e.Stream, e.Version))).ToList();
        lock (_lock)
            _events = ordered.Select((e, i) => new HistoryEvent(i + 1, e.Stream, Math.Max(0, e.Version), e.Type, e.SchemaVersion, e.Data, e.At)).ToList();
    }

    static (string Stream, long Version, string Type, int SchemaVersion, string Data, DateTime At) Event(object message, DateTime at)
    {
        var schema = Schemas.Find(message.GetType())!;
        var data = JsonSerializer.Serialize(message, message.GetType(), KafkaJson.Options);
        return Shape(schema.Urn, schema.Version, data, at)!.Value;
    }

    static (string, long, string, int, string, DateTime)? FromRecord(ConsumeResult<string, byte[]> record)
    {
        var type = Header(record, KafkaMessageHeaders.MessageType);
        if (type is null || Schemas.Find(type) is not { } schema)
            return null;
        var version = SchemaVersionHeader.Parse(Header(record, SchemaVersionHeader.Name)) ?? 1;
        var data = Encoding.UTF8.GetString(Schemas.Upcast(schema, version, record.Message.Value));
        var at = DateTime.Parse(Header(record, KafkaMessageHeaders.SentTime)!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
        return Shape(schema.Urn, schema.Version, data, at);
    }

    /// <summary>An order event's stream and version (its sequence number; -1 without one, kept however often it comes).</summary>
    static (string, long, string, int, string, DateTime)? Shape(string type, int schemaVersion, string data, DateTime at)
    {
        using var json = JsonDocument.Parse(data);
        if (!json.RootElement.TryGetProperty("orderId", out var orderId) || !json.RootElement.TryGetProperty("sequence", out var sequence))
            return null;
        var version = sequence.ValueKind == JsonValueKind.Number ? sequence.GetInt64() : -1;
        return ($"order-{orderId.GetString()}", version, type, schemaVersion, data, DateTime.SpecifyKind(at, DateTimeKind.Utc));
    }

    static string? Header(ConsumeResult<string, byte[]> record, string name) =>
        record.Message.Headers.TryGetLastBytes(name, out var value) ? Encoding.UTF8.GetString(value) : null;

    static int RecordsOn(string bootstrap, string topic)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = "history-count" })
            .SetLogHandler((_, _) => { }).Build();
        var partitions = PlainKafka.PartitionCount(bootstrap, topic);
        return (int)Enumerable.Range(0, partitions)
            .Sum(p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10)).High.Value);
    }
}
