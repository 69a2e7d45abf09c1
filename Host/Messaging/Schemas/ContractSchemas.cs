using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit;
using SagaEngine.Contracts.Schemas;
using SagaEngine.Host.Schemas;

namespace SagaEngine.Host.Messaging.Schemas;

/// <summary>
/// The contracts' <see cref="MessageCatalog"/> behind <see cref="IMessageSchemas"/>: each message is
/// found by its stable URN, by the URN release 1 gave it and by MassTransit's URN of its .NET type, and
/// upcast with the chain declared beside the contracts.
/// </summary>
public sealed class ContractSchemas : IMessageSchemas
{
    /// <summary>As lenient as MassTransit's reader, so a body it would accept is upcast rather than refused.</summary>
    static readonly JsonDocumentOptions Reading = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    readonly Dictionary<Type, (MessageSchema Schema, CatalogMessage Message)> _byType = [];
    readonly Dictionary<string, (MessageSchema Schema, CatalogMessage Message)> _byName = new(StringComparer.Ordinal);

    public ContractSchemas() : this(MessageCatalog.Messages)
    {
    }

    public ContractSchemas(IReadOnlyList<CatalogMessage> messages)
    {
        Messages = messages;
        foreach (var message in messages)
        {
            var entry = (new MessageSchema(message.Type, message.Urn, message.Version), message);
            _byType[message.Type] = entry;
            _byName[message.Urn] = entry;
            _byName.TryAdd(message.Release1Urn, entry);
            _byName.TryAdd(MessageUrn.ForTypeString(message.Type), entry);
        }
    }

    public IReadOnlyList<CatalogMessage> Messages { get; }

    public MessageSchema? Find(Type messageType) => _byType.TryGetValue(messageType, out var entry) ? entry.Schema : null;

    public MessageSchema? Find(string messageTypeName) => _byName.TryGetValue(messageTypeName, out var entry) ? entry.Schema : null;

    public CatalogMessage? FindMessage(string shortName) =>
        Messages.FirstOrDefault(m => string.Equals(m.ShortName, shortName, StringComparison.OrdinalIgnoreCase));

    public byte[] Upcast(MessageSchema schema, int from, byte[] body)
    {
        if (from == schema.Version)
            return body;
        var message = _byType[schema.MessageType].Message;
        if (from > schema.Version)
            throw new SchemaMismatchException(
                $"{message.ShortName} schema version {from} is newer than this release reads (up to {schema.Version}).");
        if (from < 1)
            throw new SchemaMismatchException($"{message.ShortName} schema version {from} does not exist.");

        JsonObject json;
        try
        {
            json = JsonNode.Parse(body, documentOptions: Reading) as JsonObject
                   ?? throw new SchemaMismatchException($"{message.ShortName} v{from}: the body is not a JSON object.");
        }
        catch (JsonException e)
        {
            throw new SchemaMismatchException($"{message.ShortName} v{from}: the body is not JSON: {e.Message}", e);
        }

        try
        {
            return JsonSerializer.SerializeToUtf8Bytes(MessageCatalog.UpcastToCurrent(message, from, json));
        }
        catch (Exception e) when (e is not SchemaMismatchException)
        {
            throw new SchemaMismatchException($"{message.ShortName} v{from} could not be upcast to v{schema.Version}: {e.Message}", e);
        }
    }
}
