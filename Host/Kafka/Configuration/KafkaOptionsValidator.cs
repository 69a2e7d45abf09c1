using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using SagaEngine.Host.Kafka.Consuming;
using SagaEngine.Host.Kafka.DeadLetters;

namespace SagaEngine.Host.Kafka.Configuration;

/// <summary>Checks the <c>Kafka</c> settings at start-up; each failure names the setting and its value.</summary>
public partial class KafkaOptionsValidator(IEnumerable<KafkaEndpointDefinition> endpoints) : IValidateOptions<KafkaOptions>
{
    const string S = KafkaOptions.Section;

    /// <summary>The embedded broker runs in this process; a handful of brokers is all a test of failover needs.</summary>
    public const int MaxEmbeddedBrokers = 16;

    public ValidateOptionsResult Validate(string? name, KafkaOptions options)
    {
        var errors = new List<string>();

        AtLeast(errors, $"{S}:EmbeddedBrokers", options.EmbeddedBrokers, 1);
        if (options.EmbeddedBrokers > MaxEmbeddedBrokers)
            errors.Add($"{S}:EmbeddedBrokers must be at most {MaxEmbeddedBrokers} (was {options.EmbeddedBrokers}).");
        AtLeast(errors, $"{S}:Partitions", options.Partitions, 1);
        AtLeast(errors, $"{S}:RetentionHours", options.RetentionHours, 1);
        AtLeast(errors, $"{S}:EmbeddedRetentionSeconds", options.EmbeddedRetentionSeconds, 0);
        ValidateReplicationFactor(errors, options);
        if (options.FetchWaitMaxMs is { } fetchWait)
            AtLeast(errors, $"{S}:FetchWaitMaxMs", fetchWait, 0);
        AtLeast(errors, $"{S}:CommitIntervalMs", options.CommitIntervalMs, 1);
        AtLeast(errors, $"{S}:MaxConcurrentPartitions", options.MaxConcurrentPartitions, 1);
        AtLeast(errors, $"{S}:MaxBufferedRecordsPerPartition", options.MaxBufferedRecordsPerPartition, 1);
        AtLeast(errors, $"{S}:RetryBackoffMs", options.RetryBackoffMs, 1);
        if (options.RetryBackoffMaxMs < options.RetryBackoffMs)
            errors.Add($"{S}:RetryBackoffMaxMs must be at least {S}:RetryBackoffMs ({options.RetryBackoffMs}) (was {options.RetryBackoffMaxMs}).");
        AtLeast(errors, $"{S}:ProducerMessageTimeoutMs", options.ProducerMessageTimeoutMs, 0);
        AtLeast(errors, $"{S}:RelayAckTimeoutMs", options.RelayAckTimeoutMs, 1);
        AtLeast(errors, $"{S}:MaxRecordBytes", options.MaxRecordBytes, 1);
        AtLeast(errors, $"{S}:MaxDeliveryAttempts", options.MaxDeliveryAttempts, 1);
        AtLeast(errors, $"{S}:DeadLetterProduceTimeoutMs", options.DeadLetterProduceTimeoutMs, 1);
        for (var i = 0; i < (options.PermanentExceptions?.Count ?? 0); i++)
            if (string.IsNullOrWhiteSpace(options.PermanentExceptions![i]))
                errors.Add($"{S}:PermanentExceptions:{i} must name an exception type (its full name, e.g. System.ArgumentException).");

        for (var i = 0; i < options.Topics.Count; i++)
            ValidateTopicName(errors, $"{S}:Topics:{i}", options.Topics[i]);

        foreach (var (messageType, topic) in options.PublishTopics)
            ValidateTopicName(errors, $"{S}:PublishTopics:{messageType}", topic);

        foreach (var (endpoint, topology) in options.Endpoints)
            ValidateEndpoint(errors, $"{S}:Endpoints:{endpoint}", topology);

        foreach (var endpoint in endpoints.Where(e => !options.Endpoints.ContainsKey(e.Name)))
            errors.Add($"{S}:Endpoints:{endpoint.Name} is missing: the Kafka endpoint '{endpoint.Name}' needs its Topics and Group.");

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    static void ValidateReplicationFactor(List<string> errors, KafkaOptions options)
    {
        if (options.ReplicationFactor is not { } factor)
            return;
        AtLeast(errors, $"{S}:ReplicationFactor", factor, 1);
        if (options.UsesEmbeddedBroker && factor > options.EmbeddedBrokers)
            errors.Add($"{S}:ReplicationFactor must be at most {S}:EmbeddedBrokers ({options.EmbeddedBrokers}) on the embedded broker (was {factor}).");
    }

    static void ValidateEndpoint(List<string> errors, string key, KafkaEndpointOptions endpoint)
    {
        if (endpoint.Topics.Count == 0)
            errors.Add($"{key}:Topics must name at least one topic.");
        for (var i = 0; i < endpoint.Topics.Count; i++)
            ValidateTopicName(errors, $"{key}:Topics:{i}", endpoint.Topics[i]);
        if (string.IsNullOrWhiteSpace(endpoint.Group))
            errors.Add($"{key}:Group is required: the consumer group whose members share the topics' partitions.");
        if (endpoint.MaxConcurrentPartitions is { } concurrency)
            AtLeast(errors, $"{key}:MaxConcurrentPartitions", concurrency, 1);
        if (endpoint.MaxDeliveryAttempts is { } attempts)
            AtLeast(errors, $"{key}:MaxDeliveryAttempts", attempts, 1);
        // The group is part of each dead-letter topic's name, so it must fit in one.
        if (!string.IsNullOrWhiteSpace(endpoint.Group))
            foreach (var topic in endpoint.Topics.Where(IsValidTopicName))
                if (!IsValidTopicName(DeadLetterTopic.For(topic, endpoint.Group)))
                    errors.Add($"{key}:Group '{endpoint.Group}' with topic '{topic}' does not make a valid dead-letter topic name " +
                               $"('{DeadLetterTopic.For(topic, endpoint.Group)}': 1-249 of letters, digits, '.', '_', '-').");
    }

    /// <summary>Kafka's own rule: 1 to 249 of letters, digits, '.', '_' and '-', and not "." or "..".</summary>
    public static bool IsValidTopicName(string? topic) => topic is not null && TopicName().IsMatch(topic) && topic is not ("." or "..");

    static void ValidateTopicName(List<string> errors, string key, string? topic)
    {
        if (!IsValidTopicName(topic))
            errors.Add($"{key} is not a valid topic name (1-249 of letters, digits, '.', '_', '-') (was '{topic}').");
    }

    static void AtLeast(List<string> errors, string key, long value, long minimum)
    {
        if (value < minimum)
            errors.Add($"{key} must be at least {minimum} (was {value}).");
    }

    [GeneratedRegex("^[a-zA-Z0-9._-]{1,249}$")]
    private static partial Regex TopicName();
}
