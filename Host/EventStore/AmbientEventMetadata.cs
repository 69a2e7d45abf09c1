using System.Diagnostics;
using MassTransit;
using MassTransit.DependencyInjection;

namespace SagaEngine.Host.EventStore;

/// <summary>
/// Where an append's correlation, causation and trace come from: inside a consumer or saga, the message
/// being handled (its correlation id, or its conversation; its own id as the cause); anywhere else (an
/// HTTP request, start-up) there is no message, and only the current trace, if any, is recorded.
/// </summary>
public sealed class AmbientEventMetadata(IServiceProvider services)
{
    public (Guid? CorrelationId, Guid? CausationId, string? TraceParent) Current()
    {
        var traceParent = Activity.Current is { IdFormat: ActivityIdFormat.W3C, Id: { } id } ? id : null;
        var consumed = services.GetService<Bind<IBus, IScopedConsumeContextProvider>>()?.Value;
        if (consumed is not { HasContext: true })
            return (null, null, traceParent);
        var context = consumed.GetContext();
        return (context.CorrelationId ?? context.ConversationId, context.MessageId, traceParent);
    }
}
