using System.Diagnostics;
using SagaEngine.Host.Telemetry;

namespace SagaEngine.Host.Persistence.Relay;

/// <summary>
/// One span per message the relay hands to the transport, continuing the trace the sender's span
/// started (from the row's <c>traceparent</c>), and written back into the message's headers so that
/// the transport's own span, and the receiver's, continue from it. Nothing is created while no one listens.
/// </summary>
public static class OutboxTracing
{
    public const string SourceName = "SagaEngine.Outbox";

    static readonly ActivitySource Source = new(SourceName);

    public static Activity? StartDelivery(long sequence, Guid messageId, string messageType, Dictionary<string, string> headers)
    {
        if (!Source.HasListeners())
            return null;

        var parent = TraceHeaders.Parent(headers);
        var activity = Source.CreateActivity("outbox relay", ActivityKind.Internal, parent);
        if (activity is null)
            return null;

        if (activity.IsAllDataRequested)
        {
            activity.SetTag("messaging.message.id", messageId.ToString());
            activity.SetTag("sagaengine.outbox.sequence", sequence);
            activity.SetTag("sagaengine.outbox.message_type", messageType);
        }
        return TraceHeaders.StartHop(activity, headers);
    }

    public static void Delivered(Activity? activity, bool accepted)
    {
        if (activity is null)
            return;
        if (!accepted)
            activity.SetStatus(ActivityStatusCode.Error, "The transport refused the message; it stays pending.");
        var ambient = Activity.Current;
        activity.Stop();
        Activity.Current = ambient;
    }
}
