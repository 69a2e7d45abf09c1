using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using SagaEngine.Host.Telemetry;

namespace SagaEngine.Host.Kafka;

/// <summary>
/// Spans for producing and consuming records, with OpenTelemetry's messaging conventions, each
/// continuing the trace its message carries and handing its own context on in the headers: a record's
/// <c>traceparent</c> is its produce span, and what a consumer dispatches carries the consume span, so
/// MassTransit's receive activity (parented on <c>MT-Activity-Id</c>) is its child. Nothing is created
/// while no one listens.
/// </summary>
public static class KafkaTracing
{
    public const string SourceName = "SagaEngine.Kafka";

    static readonly ActivitySource Source = new(SourceName);

    /// <summary>Starts the span of producing one record; its context replaces the trace headers of <paramref name="headers"/>.</summary>
    public static Activity? StartProduce(string topic, string key, Dictionary<string, string> headers)
    {
        if (!Source.HasListeners())
            return null;

        var parent = TraceHeaders.Parent(headers);
        var activity = Source.CreateActivity($"send {topic}", ActivityKind.Producer, parent);
        if (activity is null)
            return null;

        if (activity.IsAllDataRequested)
        {
            SetCommonTags(activity, topic, "send");
            activity.SetTag("messaging.kafka.message.key", key);
            if (headers.GetValueOrDefault(Producing.KafkaMessageHeaders.MessageId) is { } messageId)
                activity.SetTag("messaging.message.id", messageId);
        }
        return TraceHeaders.StartHop(activity, headers);
    }

    /// <summary>Ends a produce span with where the broker put the record, or why it did not.</summary>
    public static void Produced(Activity? activity, int? partition, long? offset, string? error)
    {
        if (activity is null)
            return;
        if (partition is { } p)
            activity.SetTag("messaging.destination.partition.id", p.ToString(CultureInfo.InvariantCulture));
        if (offset is { } o)
            activity.SetTag("messaging.kafka.offset", o);
        if (error is not null)
            activity.SetStatus(ActivityStatusCode.Error, error);
        var ambient = Activity.Current;
        activity.Stop();
        Activity.Current = ambient;
    }

    /// <summary>
    /// Starts the span of processing one consumed record, as the ambient span, continuing the trace of its
    /// headers; then points the headers to be dispatched at it. Without a span the record's <c>traceparent</c>
    /// (its latest hop) still becomes MassTransit's parent.
    /// </summary>
    public static Activity? StartConsume(ConsumeResult<string, byte[]> record, string group, Dictionary<string, object> headers)
    {
        var traceParent = headers.GetValueOrDefault(TraceHeaders.TraceParent) as string;
        if (!Source.HasListeners())
        {
            if (traceParent is not null)
                headers[TraceHeaders.MassTransitActivityId] = traceParent;
            return null;
        }

        var parent = TraceHeaders.Parent(traceParent, headers.GetValueOrDefault(TraceHeaders.TraceState) as string,
            headers.GetValueOrDefault(TraceHeaders.MassTransitActivityId) as string);
        var activity = Source.CreateActivity($"process {record.Topic}", ActivityKind.Consumer, parent);
        if (activity is null)
        {
            if (traceParent is not null)
                headers[TraceHeaders.MassTransitActivityId] = traceParent;
            return null;
        }

        if (activity.IsAllDataRequested)
        {
            SetCommonTags(activity, record.Topic, "process");
            activity.SetTag("messaging.kafka.consumer.group", group);
            activity.SetTag("messaging.consumer.group.name", group);
            activity.SetTag("messaging.destination.partition.id", record.Partition.Value.ToString(CultureInfo.InvariantCulture));
            activity.SetTag("messaging.kafka.offset", record.Offset.Value);
            activity.SetTag("messaging.kafka.message.key", record.Message.Key);
            if (headers.GetValueOrDefault(Producing.KafkaMessageHeaders.MessageId) is string messageId)
                activity.SetTag("messaging.message.id", messageId);
        }
        activity.Start();
        TraceHeaders.Write(activity, (name, value) => headers[name] = value);
        return activity;
    }

    static void SetCommonTags(Activity activity, string topic, string operation)
    {
        activity.SetTag("messaging.system", "kafka");
        activity.SetTag("messaging.destination.name", topic);
        activity.SetTag("messaging.operation.type", operation);
        activity.SetTag("messaging.operation.name", operation);
    }
}
