namespace SagaEngine.Host.Kafka.Producing;

/// <summary>
/// One record to produce. Records with the same key go to the same partition, where they keep the
/// order in which they were produced.
/// </summary>
public sealed record KafkaRecord(string Topic, string Key, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    /// <summary>
    /// A message as JSON (camelCase) with the standard headers, keyed for example by the id of the
    /// entity whose messages must stay in order.
    /// </summary>
    public static KafkaRecord ForMessage(string topic, string key, object message, Type messageType, Guid messageId,
        Guid? correlationId = null, Guid? conversationId = null, DateTime? sentTime = null) =>
        new(topic, key,
            KafkaMessageHeaders.Create(messageType, messageId, correlationId, conversationId, sentTime ?? DateTime.UtcNow),
            KafkaJson.Serialize(message, messageType));

    /// <inheritdoc cref="ForMessage(string, string, object, Type, Guid, Guid?, Guid?, DateTime?)"/>
    public static KafkaRecord ForMessage<T>(string topic, string key, T message, Guid messageId,
        Guid? correlationId = null, Guid? conversationId = null, DateTime? sentTime = null) where T : class =>
        ForMessage(topic, key, message, typeof(T), messageId, correlationId, conversationId, sentTime);
}
