namespace SagaEngine.Host.Kafka.DeadLetters;

/// <summary>
/// Headers a dead-lettered record carries besides its own, unchanged ones. All start with
/// <see cref="Prefix"/>, so a replay can take them off again and nothing else.
/// </summary>
public static class DeadLetterHeaders
{
    public const string Prefix = "DLQ-";

    public const string OriginalTopic = Prefix + "Original-Topic";
    public const string OriginalPartition = Prefix + "Original-Partition";
    public const string OriginalOffset = Prefix + "Original-Offset";
    public const string ConsumerGroup = Prefix + "Consumer-Group";
    public const string Endpoint = Prefix + "Endpoint";

    /// <summary>Why it was dead-lettered: one of <see cref="DeadLetterFault"/>'s values, in kebab case.</summary>
    public const string Fault = Prefix + "Fault";

    /// <summary>The handler's exception type; absent for a record that could not be read, which has none.</summary>
    public const string ExceptionType = Prefix + "Exception-Type";

    /// <summary>The exception's message, or why the record could not be read.</summary>
    public const string ExceptionMessage = Prefix + "Exception-Message";

    /// <summary>How many times the consume loop tried the record (MassTransit's own retries are inside one attempt).</summary>
    public const string Attempts = Prefix + "Attempts";

    /// <summary>When it was dead-lettered, ISO 8601 in UTC.</summary>
    public const string DeadLetteredAt = Prefix + "Dead-Lettered-At";

    public static bool IsDeadLetterHeader(string name) => name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase);
}
