using System.Globalization;
using MassTransit;
using SagaEngine.Host.Schemas;

namespace SagaEngine.Host.Kafka.Producing;

/// <summary>
/// The headers every record carries, as UTF-8 strings, so that any consumer can tell what a record
/// holds without reading its body. The names are the ones MassTransit reads from raw JSON messages,
/// so a Kafka endpoint dispatches a record as exactly the type its <see cref="MessageType"/> names.
/// </summary>
public static class KafkaMessageHeaders
{
    /// <summary>"urn:message:Namespace:Type"; several types are separated by ';'.</summary>
    public const string MessageType = MessageHeaders.MessageType;
    public const string MessageId = MessageHeaders.MessageId;
    public const string CorrelationId = MessageHeaders.CorrelationId;
    public const string ConversationId = MessageHeaders.ConversationId;
    public const string ContentType = MessageHeaders.ContentType;
    /// <summary>When the message was sent, ISO 8601 in UTC.</summary>
    public const string SentTime = "SentTime";

    public const string JsonContentType = "application/json";

    /// <summary>The body's schema version (see <see cref="SchemaVersionHeader"/>); every record carries it.</summary>
    public const string SchemaVersion = SchemaVersionHeader.Name;

    public static Dictionary<string, string> Create(Type messageType, Guid messageId, Guid? correlationId, Guid? conversationId,
        DateTime sentTime, int schemaVersion = SchemaVersionHeader.Unversioned) =>
        Create(MessageUrn.ForTypeString(messageType), messageId, correlationId, conversationId, sentTime, schemaVersion);

    /// <summary>For a caller that kept only the message type's URN, such as an outbox row.</summary>
    public static Dictionary<string, string> Create(string messageTypeUrn, Guid messageId, Guid? correlationId, Guid? conversationId,
        DateTime sentTime, int schemaVersion = SchemaVersionHeader.Unversioned)
    {
        var headers = new Dictionary<string, string>
        {
            [MessageType] = messageTypeUrn,
            [MessageId] = messageId.ToString(),
            [ContentType] = JsonContentType,
            [SentTime] = sentTime.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
            [SchemaVersion] = SchemaVersionHeader.Format(schemaVersion)
        };
        if (correlationId is { } correlation)
            headers[CorrelationId] = correlation.ToString();
        if (conversationId is { } conversation)
            headers[ConversationId] = conversation.ToString();
        return headers;
    }
}
