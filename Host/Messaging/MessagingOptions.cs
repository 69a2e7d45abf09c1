namespace SagaEngine.Host.Messaging;

/// <summary>Settings under <c>Messaging</c>.</summary>
public class MessagingOptions
{
    public const string Section = "Messaging";

    /// <summary>
    /// <c>Kafka</c> (the default): every message of the flow crosses Kafka topics. <c>InMemory</c>: they
    /// cross MassTransit's in-process transport instead, for a single process without a broker; a
    /// message handed over but not yet consumed is lost if the process dies.
    /// </summary>
    public MessageTransport Transport { get; set; } = MessageTransport.Kafka;
}

public enum MessageTransport
{
    Kafka,
    InMemory
}
