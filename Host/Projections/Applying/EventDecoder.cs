using System.Globalization;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using SagaEngine.Host.EventStore;
using SagaEngine.Host.Kafka.Consuming;
using SagaEngine.Host.Kafka.Producing;
using SagaEngine.Host.Schemas;
using SagaEngine.Host.Validation;

namespace SagaEngine.Host.Projections.Applying;

/// <summary>
/// Turns what a projection reads (a Kafka record, an event of the store, a held event) into a typed event
/// of the current schema version, or says why it cannot: the same rules as a Kafka endpoint's, so a record
/// the order saga can read, a projection can read too.
/// </summary>
public sealed class EventDecoder
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip
    };

    readonly IProjection _projection;
    readonly IMessageSchemas _schemas;
    readonly HashSet<Type> _reads;

    /// <summary>
    /// The URN of each message type this projection reads, by the .NET type's own name: the name an event store
    /// keeps its events under (<c>OrderSubmitted</c>). Only stored events are looked up by it, never Kafka records.
    /// </summary>
    readonly Dictionary<string, string> _byStoredName;

    public EventDecoder(IProjection projection, IMessageSchemas schemas)
    {
        _projection = projection;
        _schemas = schemas;
        _reads = projection.MessageTypes.ToHashSet();
        foreach (var type in _reads.Where(t => schemas.Find(t) is null))
            throw new InvalidOperationException($"Projection '{projection.Name}' reads {type.Name}, which no message catalog describes.");
        _byStoredName = _reads.GroupBy(t => t.Name, StringComparer.Ordinal).Where(g => g.Count() == 1)
            .ToDictionary(g => g.Key, g => schemas.Find(g.Single())!.Urn, StringComparer.Ordinal);
    }

    /// <summary>A Kafka record: its type from <c>MT-MessageType</c>, its version from <c>schema-version</c>, its time from <c>SentTime</c>.</summary>
    public Decoded Decode(ConsumeResult<string, byte[]> record)
    {
        var headers = record.Message.Headers;
        var type = Header(headers, KafkaMessageHeaders.MessageType);
        if (string.IsNullOrWhiteSpace(type))
            return Decoded.Unreadable($"It has no {KafkaMessageHeaders.MessageType} header, so its message type is unknown.");
        // The same header rules as a Kafka endpoint's, for a record this projection reads: one the order saga finds
        // unreadable changes no read model either.
        if (type.Split(';').Select(_schemas.Find).FirstOrDefault(s => s is not null) is { } schema && _reads.Contains(schema.MessageType)
            && RecordHeaderRules.WhyMalformed(record.Message.Key, Texts(headers)) is { } malformed)
            return Decoded.Unreadable(malformed);
        var occurredAt = ParseTime(Header(headers, KafkaMessageHeaders.SentTime)) ?? record.Message.Timestamp.UtcDateTime;
        var stated = Header(headers, SchemaVersionHeader.Name);
        return Decode(type, stated, record.Message.Value, occurredAt, $"{record.Topic}[{record.Partition.Value}]@{record.Offset.Value}");
    }

    /// <summary>
    /// An event as a store keeps it: its type (a name the message catalog knows, or the .NET type's own name),
    /// its schema version in the catalog's numbering, its JSON and its time.
    /// </summary>
    public Decoded Decode(string type, int schemaVersion, string data, DateTime occurredAt, string source) =>
        Decode(_byStoredName.GetValueOrDefault(type, type), SchemaVersionHeader.Format(schemaVersion), Encoding.UTF8.GetBytes(data), occurredAt, source);

    Decoded Decode(string type, string? statedVersion, byte[]? body, DateTime occurredAt, string source)
    {
        var schema = type.Split(';').Select(_schemas.Find).FirstOrDefault(s => s is not null);
        // A message no catalog knows, or one this projection does not read: not its business.
        if (schema is null || !_reads.Contains(schema.MessageType))
            return Decoded.NotRead;
        if (SchemaVersionHeader.Parse(statedVersion) is not { } version)
            return Decoded.Unreadable($"Its {SchemaVersionHeader.Name} '{statedVersion}' is not a schema version (1, 2, …).");
        if (body is null || body.Length == 0)
            return Decoded.Unreadable("It has no body.");

        byte[] current;
        object? message;
        try
        {
            current = _schemas.Upcast(schema, version, body);
            message = JsonSerializer.Deserialize(current, schema.MessageType, Json);
        }
        catch (SchemaMismatchException e)
        {
            return Decoded.Unreadable(e.Message);
        }
        catch (JsonException e)
        {
            return Decoded.Unreadable($"The body is not a valid {schema.MessageType.Name}: {e.Message}");
        }
        if (message is null)
            return Decoded.Unreadable($"The body is not a valid {schema.MessageType.Name}: it is null.");
        if (_projection.Invalid(message) is { Count: > 0 } errors)
            return Decoded.Invalid(new InvalidMessageException(schema.MessageType.Name, errors));
        if (_projection.StreamOf(message) is not { } stream || string.IsNullOrEmpty(stream.Key))
            return Decoded.Unreadable($"Projection '{_projection.Name}' cannot tell which stream this {schema.MessageType.Name} belongs to.");

        // To the microsecond, as both databases keep times: a record's header carries a tenth of one, the event store
        // does not, and a rebuilt version must date an event exactly as the live one did.
        return new Decoded(DecodeOutcome.Event, null, new IncomingEvent(
            new ProjectionEvent(stream.Key, stream.Sequence, message, StreamAggregator.Microseconds(occurredAt)),
            schema.Urn, schema.Version, current, source));
    }

    static Dictionary<string, object> Texts(Headers? headers)
    {
        var texts = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var header in headers ?? [])
            texts[header.Key] = header.GetValueBytes() is { } value ? Encoding.UTF8.GetString(value) : "";
        return texts;
    }

    static string? Header(Headers? headers, string name) =>
        headers is not null && headers.TryGetLastBytes(name, out var value) && value is not null ? Encoding.UTF8.GetString(value) : null;

    static DateTime? ParseTime(string? value) =>
        DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : null;
}

public enum DecodeOutcome
{
    /// <summary>An event of this projection, ready to apply.</summary>
    Event,

    /// <summary>A message this projection does not read: passed over.</summary>
    NotRead,

    /// <summary>Something it should read but cannot: dead-lettered with the reason.</summary>
    Unreadable,

    /// <summary>An event of this projection that breaks its contract's rules: dead-lettered as invalid, applied nowhere.</summary>
    Invalid
}

public sealed record Decoded(DecodeOutcome Outcome, string? Reason, IncomingEvent? Event, InvalidMessageException? Violation = null)
{
    public static readonly Decoded NotRead = new(DecodeOutcome.NotRead, null, null);

    public static Decoded Unreadable(string reason) => new(DecodeOutcome.Unreadable, reason, null);

    public static Decoded Invalid(InvalidMessageException violation) => new(DecodeOutcome.Invalid, violation.Message, null, violation);
}

/// <summary>An event on its way in, with what holding it durably needs: its stable type, version and current JSON.</summary>
public sealed record IncomingEvent(ProjectionEvent Event, string MessageType, int SchemaVersion, byte[] Body, string Source)
{
    /// <summary>The JSON as text, for a held event's row (most events are applied at once and never need it).</summary>
    public string BodyText => Encoding.UTF8.GetString(Body);
}
