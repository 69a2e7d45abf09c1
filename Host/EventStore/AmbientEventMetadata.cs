using System.Diagnostics;
using System.Globalization;
using MassTransit;
using MassTransit.DependencyInjection;
using SagaEngine.Host.Persistence.Outbox;

namespace SagaEngine.Host.EventStore;

/// <summary>
/// Where an append's correlation, causation and trace come from: inside a consumer or saga, the message
/// being handled (its correlation id, or its conversation; its own id as the cause); anywhere else (an
/// HTTP request, start-up) there is no message, and only the current trace, if any, is recorded.
/// </summary>
public sealed class AmbientEventMetadata(IServiceProvider services)
{
    public Ambient Current()
    {
        var traceParent = Activity.Current is { IdFormat: ActivityIdFormat.W3C, Id: { } id } ? id : null;
        var consumed = services.GetService<Bind<IBus, IScopedConsumeContextProvider>>()?.Value;
        if (consumed is not { HasContext: true })
            return new Ambient(null, null, traceParent, null);
        var context = consumed.GetContext();
        return new Ambient(context.CorrelationId ?? context.ConversationId, context.MessageId, traceParent, SentAt(context));
    }

    /// <summary>
    /// The time the consumed message was sent, as its record's <c>SentTime</c> header says: the time a reader of its
    /// topic dates it by. (MassTransit's own <c>SentTime</c> of a raw JSON message is read off its id instead.)
    /// </summary>
    static DateTime? SentAt(ConsumeContext context) =>
        context.ReceiveContext?.TransportHeaders.Get<string>(OutboxHeaders.SentTime) is { } text
        && DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : null;
}

/// <param name="CorrelationId">The handled message's correlation (or conversation) id.</param>
/// <param name="CausationId">The handled message's own id.</param>
/// <param name="TraceParent">The current W3C trace context.</param>
/// <param name="CauseSentAt">When the handled message was sent, when its record says.</param>
public sealed record Ambient(Guid? CorrelationId, Guid? CausationId, string? TraceParent, DateTime? CauseSentAt);
