namespace SagaEngine.Host.Kafka.Consuming;

/// <summary>
/// Which message types (<c>urn:message:Namespace:Type</c>) this process can read at all. A record of any
/// other type is unreadable: no redelivery can teach the process a type. A type it knows but that an
/// endpoint does not handle is skipped instead, since a topic may carry messages for other readers.
/// </summary>
public interface IKnownMessageTypes
{
    bool IsKnown(string messageTypeUrn);
}

/// <summary>Without a catalogue of its own, a host takes every well-formed message type for known.</summary>
sealed class EveryMessageTypeKnown : IKnownMessageTypes
{
    public bool IsKnown(string messageTypeUrn) => true;
}
