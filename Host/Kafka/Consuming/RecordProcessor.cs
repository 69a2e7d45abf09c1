using System.Diagnostics;
using System.Runtime.Serialization;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using MassTransit;
using SagaEngine.Host.Kafka.Producing;

namespace SagaEngine.Host.Kafka.Consuming;

/// <summary>
/// Runs one record through the MassTransit receive pipeline (retry, outbox, saga repository: whatever
/// the saga's or consumer's definition configures) of the endpoint's handler that consumes its message
/// type, and says whether its partition may move past it.
/// </summary>
sealed class RecordProcessor(
    string endpoint,
    string group,
    DispatchRoutes routes,
    RecordUpcasting upcasting,
    int maxRecordBytes,
    IKnownMessageTypes knownTypes,
    IFailedRecordHandler failures,
    EndpointCounters counters,
    ILogger logger)
{
    const string MessageUrnPrefix = "urn:message:";

    /// <summary>MassTransit's own parsing options, so a body it would accept is never called unreadable here.</summary>
    static readonly JsonReaderOptions JsonReading = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    /// <returns>Whether the record is done with (processed, skipped or dead-lettered), its key held behind it, or to be tried again later.</returns>
    public async Task<RecordResult> Process(ConsumeResult<string, byte[]> record, int attempt, CancellationToken cancellationToken)
    {
        var headers = ReadHeaders(record.Message.Headers, attempt);
        using var span = KafkaTracing.StartConsume(record, group, headers);
        if (WhyUnreadable(record.Message.Key, record.Message.Value, headers, maxRecordBytes, knownTypes) is { } reason)
        {
            counters.Unreadable();
            span?.SetStatus(ActivityStatusCode.Error, reason);
            return await Failed(record, RecordFailure.Unreadable, reason, null, attempt, cancellationToken);
        }
        if (upcasting.Apply(record.Message.Value, headers, out var notUpcast) is not { } body)
        {
            counters.Unreadable();
            span?.SetStatus(ActivityStatusCode.Error, notUpcast);
            return await Failed(record, RecordFailure.Unreadable, notUpcast!, null, attempt, cancellationToken);
        }

        var messageType = (string)headers[KafkaMessageHeaders.MessageType];
        if (routes.For(messageType) is not { } dispatcher)
            return NotHandled(record, messageType);

        var context = new KafkaRecordContext(endpoint, group, record.Topic, record.Partition.Value, record.Offset.Value,
            record.Message.Key, attempt);
        try
        {
            await dispatcher.Dispatch(body, headers, cancellationToken, context);
            counters.Processed();
            return RecordResult.Done;
        }
        catch (MessageNotConsumedException)
        {
            // The handler's pipeline refused the type after all (a filter of its own, say): skipped all the same.
            return NotHandled(record, messageType);
        }
        catch (Exception e) when (IsDeserializationFailure(e))
        {
            counters.Unreadable();
            span?.SetStatus(ActivityStatusCode.Error, Innermost(e));
            return await Failed(record, RecordFailure.Unreadable, $"The body is not a valid {messageType}: {Innermost(e)}",
                e, attempt, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            counters.Failed();
            span?.SetStatus(ActivityStatusCode.Error, Innermost(e));
            return await Failed(record, RecordFailure.ProcessingFailed, Innermost(e), e, attempt, cancellationToken);
        }
    }

    RecordResult NotHandled(ConsumeResult<string, byte[]> record, string messageType)
    {
        counters.NotHandled();
        logger.LogDebug("Kafka endpoint {Endpoint} skipped {Topic}[{Partition}]@{Offset}: it handles no {MessageType}",
            endpoint, record.Topic, record.Partition.Value, record.Offset.Value, messageType);
        return RecordResult.Done;
    }

    async Task<RecordResult> Failed(ConsumeResult<string, byte[]> record, RecordFailure failure, string reason, Exception? exception,
        int attempt, CancellationToken cancellationToken)
    {
        try
        {
            var action = await failures.Handle(new FailedRecord(endpoint, group, record, failure, reason, exception, attempt), cancellationToken);
            if (action != FailedRecordAction.RetryLater)
                counters.DeadLettered();
            return action switch
            {
                FailedRecordAction.Skip => RecordResult.Done,
                FailedRecordAction.SkipAndHoldKey => RecordResult.KeyHeld(reason),
                _ => RecordResult.TryAgain(reason)
            };
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogError(e, "Kafka endpoint {Endpoint}: the failed-record handler threw for {Topic}[{Partition}]@{Offset}; it is tried again later",
                endpoint, record.Topic, record.Partition.Value, record.Offset.Value);
            return RecordResult.TryAgain($"{reason} (and it could not be dead-lettered: {Innermost(e)})");
        }
    }

    /// <summary>Header values as strings (last one wins when a name repeats), as MassTransit reads transport headers.</summary>
    static Dictionary<string, object> ReadHeaders(Confluent.Kafka.Headers? kafkaHeaders, int attempt)
    {
        var headers = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in kafkaHeaders ?? [])
        {
            var value = header.GetValueBytes();
            headers[header.Key] = value is null ? "" : Encoding.UTF8.GetString(value);
        }

        // Lets a consumer see (ConsumeContext.GetRedeliveryCount) that this record is being read again.
        if (attempt > 1)
            headers[MessageHeaders.RedeliveryCount] = attempt - 1;
        return headers;
    }

    /// <summary>
    /// What no redelivery can mend. A record is dispatched only with a message type header: raw JSON
    /// without one would be offered to every message type whose shape happens to fit.
    /// </summary>
    static string? WhyUnreadable(string? key, byte[]? body, Dictionary<string, object> headers, int maxRecordBytes,
        IKnownMessageTypes knownTypes)
    {
        if (!headers.TryGetValue(KafkaMessageHeaders.MessageType, out var value) || value is not string messageType
                                                                                 || string.IsNullOrWhiteSpace(messageType))
            return $"It has no {KafkaMessageHeaders.MessageType} header, so its message type is unknown.";
        var messageTypes = messageType.Split(';');
        if (messageTypes.Any(t => !t.StartsWith(MessageUrnPrefix, StringComparison.Ordinal) || t.Length == MessageUrnPrefix.Length))
            return $"Its {KafkaMessageHeaders.MessageType} header '{messageType}' is not a message type ({MessageUrnPrefix}Namespace:Type).";
        if (!messageTypes.Any(knownTypes.IsKnown))
            return $"Its {KafkaMessageHeaders.MessageType} header '{messageType}' names no message type this host knows.";
        if (RecordHeaderRules.WhyMalformed(key, headers) is { } malformed)
            return malformed;
        if (body is null || body.Length == 0)
            return "It has no body.";
        if (body.Length > maxRecordBytes)
            return $"Its body is {body.Length} bytes, more than Kafka:MaxRecordBytes ({maxRecordBytes}).";
        if (!IsJsonObject(body))
            return "Its body is not a JSON object.";
        return null;
    }

    static bool IsJsonObject(byte[] body)
    {
        try
        {
            var reader = new Utf8JsonReader(body, JsonReading);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return false;
            reader.Skip();
            return !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>MassTransit wraps what System.Text.Json throws for a body that does not fit the message type.</summary>
    static bool IsDeserializationFailure(Exception e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
            if (inner is SerializationException or JsonException)
                return true;
        return false;
    }

    static string Innermost(Exception e)
    {
        while (e.InnerException is not null)
            e = e.InnerException;
        return e.Message;
    }
}
