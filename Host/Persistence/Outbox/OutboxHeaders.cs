using System.Diagnostics;
using MassTransit;
using SagaEngine.Host.Telemetry;

namespace SagaEngine.Host.Persistence.Outbox;

/// <summary>The headers an outbox row keeps besides its own columns, by transport-neutral names.</summary>
public static class OutboxHeaders
{
    public const string CorrelationId = "CorrelationId";
    public const string ConversationId = "ConversationId";
    public const string InitiatorId = "InitiatorId";
    public const string SourceAddress = "SourceAddress";
    public const string SentTime = "SentTime";

    public static Dictionary<string, string> From(SendContext context)
    {
        var headers = new Dictionary<string, string>();
        foreach (var (key, value) in context.Headers.GetAll())
        {
            // A collection (MassTransit's MT-Activity-Correlation-Context, the span's baggage, is a list)
            // would turn into its type's name, which no reader could use.
            if (value is System.Collections.IEnumerable and not string)
                continue;
            if (value?.ToString() is { } text)
                headers[key] = text;
        }

        Set(headers, CorrelationId, context.CorrelationId?.ToString());
        Set(headers, ConversationId, context.ConversationId?.ToString());
        Set(headers, InitiatorId, context.InitiatorId?.ToString());
        Set(headers, SourceAddress, context.SourceAddress?.ToString());
        Set(headers, SentTime, context.SentTime?.ToString("O"));

        // The span the message was sent in (MassTransit's outbox send, or the handler's or request's own)
        // is where the relay's delivery span, and everything after it, continues the trace.
        if (Activity.Current is { } activity)
            TraceHeaders.Write(activity, (name, value) => headers[name] = value);
        return headers;
    }

    static void Set(Dictionary<string, string> headers, string key, string? value)
    {
        if (value is not null)
            headers[key] = value;
    }
}
