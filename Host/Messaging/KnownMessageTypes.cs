using SagaEngine.Host.Kafka.Consuming;
using SagaEngine.Host.Schemas;

namespace SagaEngine.Host.Messaging;

/// <summary>
/// A record's message type is known when the schema catalog knows the name it carries (its stable URN,
/// release 1's, or MassTransit's name of its .NET type) or a loaded type has that URN.
/// </summary>
sealed class KnownMessageTypes(IMessageSchemas schemas, MessageTypes types) : IKnownMessageTypes
{
    public bool IsKnown(string messageTypeUrn) => schemas.Find(messageTypeUrn) is not null || types.IsKnown(messageTypeUrn);
}
