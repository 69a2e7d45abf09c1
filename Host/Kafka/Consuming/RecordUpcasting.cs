using MassTransit;
using SagaEngine.Host.Kafka.Producing;
using SagaEngine.Host.Schemas;

namespace SagaEngine.Host.Kafka.Consuming;

/// <summary>
/// The step before dispatch that lets this release read what earlier ones wrote. A record of a message
/// the schemas know is brought to the schema version this release reads (from its <c>schema-version</c>
/// header; none means 1), and its type header then names the message's .NET type as MassTransit does,
/// whichever name the record carried (the stable one, or an earlier release's). Any other record passes
/// unchanged.
/// </summary>
sealed class RecordUpcasting(IMessageSchemas? schemas)
{
    /// <returns>The body to dispatch, or null when the record cannot be read, with <paramref name="unreadable"/> saying why.</returns>
    public byte[]? Apply(byte[] body, Dictionary<string, object> headers, out string? unreadable)
    {
        unreadable = null;
        if (schemas is null || !headers.TryGetValue(KafkaMessageHeaders.MessageType, out var value) || value is not string messageType)
            return body;
        var schema = messageType.Split(';').Select(schemas.Find).FirstOrDefault(s => s is not null);
        if (schema is null)
            return body;

        var stated = headers.TryGetValue(SchemaVersionHeader.Name, out var header) ? header as string : null;
        if (SchemaVersionHeader.Parse(stated) is not { } version)
        {
            unreadable = $"Its {SchemaVersionHeader.Name} header '{stated}' is not a schema version (1, 2, …).";
            return null;
        }
        try
        {
            body = schemas.Upcast(schema, version, body);
        }
        catch (SchemaMismatchException e)
        {
            unreadable = e.Message;
            return null;
        }
        headers[KafkaMessageHeaders.MessageType] = MessageUrn.ForTypeString(schema.MessageType);
        headers[SchemaVersionHeader.Name] = SchemaVersionHeader.Format(schema.Version);
        return body;
    }
}
