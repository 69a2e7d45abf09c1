namespace SagaEngine.Host.Schemas;

/// <summary>
/// What generic infrastructure (Kafka endpoints, the outbox, dead letters, a store of events) knows of
/// message schemas without knowing any message: a message's stable name and current schema version,
/// and how to bring a body written at an older version up to it. The host registers the contracts'
/// catalog behind it.
/// </summary>
public interface IMessageSchemas
{
    /// <summary>The schema of a .NET message type; null for a type no catalog describes.</summary>
    MessageSchema? Find(Type messageType);

    /// <summary>
    /// The schema a message type name on a record or a stored message stands for: its stable URN, the
    /// name an earlier release gave it, or MassTransit's name of its .NET type. Null for a name no catalog knows.
    /// </summary>
    MessageSchema? Find(string messageTypeName);

    /// <summary>
    /// Brings a JSON body written at schema version <paramref name="from"/> to <see cref="MessageSchema.Version"/>;
    /// the body itself when it is current. Throws <see cref="SchemaMismatchException"/> saying why it cannot.
    /// </summary>
    byte[] Upcast(MessageSchema schema, int from, byte[] body);
}

/// <param name="MessageType">The .NET type this release reads it as.</param>
/// <param name="Urn">Its stable name on the wire and in stores (<c>urn:message:…</c>).</param>
/// <param name="Version">The schema version this release writes and reads.</param>
public sealed record MessageSchema(Type MessageType, string Urn, int Version);

/// <summary>A message that cannot be brought to the schema version this release reads.</summary>
public sealed class SchemaMismatchException(string message, Exception? inner = null) : Exception(message, inner);
