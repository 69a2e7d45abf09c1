using System.Diagnostics;
using MassTransit.Logging;

namespace SagaEngine.Host.Telemetry;

/// <summary>
/// The trace context a message carries from hop to hop: the W3C <c>traceparent</c> and <c>tracestate</c>
/// (readable by any tracer in any language) and MassTransit's own <c>MT-Activity-Id</c>, which holds the
/// same W3C id and is what MassTransit parents its receive activity on.
/// </summary>
public static class TraceHeaders
{
    public const string TraceParent = "traceparent";
    public const string TraceState = "tracestate";
    public const string MassTransitActivityId = DiagnosticHeaders.ActivityId;

    /// <summary>The context to continue from headers: <c>traceparent</c> (the latest hop) first, else MassTransit's header.</summary>
    public static ActivityContext Parent(string? traceParent, string? traceState, string? massTransitActivityId)
    {
        if (traceParent is not null && ActivityContext.TryParse(traceParent, traceState, isRemote: true, out var context))
            return context;
        if (massTransitActivityId is not null && ActivityContext.TryParse(massTransitActivityId, traceState, isRemote: true, out context))
            return context;
        return default;
    }

    /// <summary>The context a message's own headers carry.</summary>
    public static ActivityContext Parent(IReadOnlyDictionary<string, string> headers) =>
        Parent(headers.GetValueOrDefault(TraceParent), headers.GetValueOrDefault(TraceState), headers.GetValueOrDefault(MassTransitActivityId));

    /// <summary>
    /// Starts the span of one message's hop without making it the ambient span (a batch's messages belong
    /// to as many traces), and writes it into the message's headers as the hop the next one continues from.
    /// </summary>
    public static Activity StartHop(Activity activity, Dictionary<string, string> headers)
    {
        var ambient = Activity.Current;
        activity.Start();
        Activity.Current = ambient;
        Write(activity, (name, value) => headers[name] = value);
        return activity;
    }

    /// <summary>Writes <paramref name="activity"/> as the hop the next one continues from (all three headers).</summary>
    public static void Write(Activity activity, Action<string, string> set)
    {
        if (activity.IdFormat != ActivityIdFormat.W3C || activity.Id is not { } id)
            return;
        set(TraceParent, id);
        set(MassTransitActivityId, id);
        if (activity.TraceStateString is { } state)
            set(TraceState, state);
    }
}
