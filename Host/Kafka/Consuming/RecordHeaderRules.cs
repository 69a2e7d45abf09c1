using System.Globalization;
using System.Net.Http.Headers;
using MassTransit;
using SagaEngine.Host.Kafka.Producing;

namespace SagaEngine.Host.Kafka.Consuming;

/// <summary>
/// The headers a record's pipeline reads, and what a well-formed value of each is. MassTransit reads a
/// malformed id or address as absent, and the transactional outbox cannot recognise a redelivery without
/// a message id, so a record that breaks these rules is unreadable at its first attempt.
/// </summary>
static class RecordHeaderRules
{
    static readonly string[] Ids = [MessageHeaders.CorrelationId, MessageHeaders.ConversationId, MessageHeaders.RequestId, MessageHeaders.InitiatorId];
    static readonly string[] Addresses = [MessageHeaders.SourceAddress, MessageHeaders.ResponseAddress, MessageHeaders.FaultAddress];

    /// <summary>Why the record's key or headers make it unreadable, or null when they are well-formed.</summary>
    public static string? WhyMalformed(string? key, IReadOnlyDictionary<string, object> headers)
    {
        if (string.IsNullOrEmpty(key))
            return "It has no key: records are keyed by what they concern (an order's id), which keeps its records in order.";
        if (Value(headers, KafkaMessageHeaders.MessageId) is not { } messageId || messageId.Length == 0)
            return $"It has no {KafkaMessageHeaders.MessageId} header, so a redelivery of it could not be recognised.";
        if (!Guid.TryParse(messageId, out var id) || id == Guid.Empty)
            return $"Its {KafkaMessageHeaders.MessageId} header '{Shown(messageId)}' is not a message id (a GUID other than all zeros).";
        foreach (var name in Ids)
            if (Value(headers, name) is { } value && !Guid.TryParse(value, out _))
                return $"Its {name} header '{Shown(value)}' is not a GUID.";
        foreach (var name in Addresses)
            if (Value(headers, name) is { } value && !Uri.TryCreate(value, UriKind.Absolute, out _))
                return $"Its {name} header '{Shown(value)}' is not an absolute URI.";
        if (Value(headers, KafkaMessageHeaders.ContentType) is { } contentType && !IsJson(contentType))
            return $"Its {KafkaMessageHeaders.ContentType} header '{Shown(contentType)}' is not JSON.";
        if (Value(headers, KafkaMessageHeaders.SentTime) is { } sentTime
            && !DateTime.TryParse(sentTime, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _))
            return $"Its {KafkaMessageHeaders.SentTime} header '{Shown(sentTime)}' is not a date and time (ISO 8601).";
        return null;
    }

    static string? Value(IReadOnlyDictionary<string, object> headers, string name) =>
        headers.TryGetValue(name, out var value) ? value as string : null;

    static bool IsJson(string contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed) && parsed.MediaType is { } media
        && (media.Equals(KafkaMessageHeaders.JsonContentType, StringComparison.OrdinalIgnoreCase)
            || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    /// <summary>A forged header can be long: the reason shows its start.</summary>
    static string Shown(string value) => value.Length <= 80 ? value : value[..80] + "…";
}
