namespace SagaEngine.Host.Kafka.DeadLetters;

/// <summary>
/// Where an endpoint's dead letters go: one topic per consumed topic and consumer group,
/// <c>&lt;topic&gt;.&lt;group&gt;.dlq</c>. Per group, because two groups reading one topic fail for
/// their own reasons and each must be able to replay only its own; per topic, so a dead letter's
/// topic already says where it came from.
/// </summary>
public static class DeadLetterTopic
{
    public const string Suffix = ".dlq";

    public static string For(string topic, string group) => $"{topic}.{group}{Suffix}";
}
