using MassTransit;
using MassTransit.Transports;

namespace SagaEngine.Host.Kafka.Consuming;

/// <summary>
/// Which of an endpoint's handlers a record goes to, decided from its message type header alone: the
/// first handler (in the order the endpoint lists them) that consumes one of the types the header names.
/// Worked out once when the endpoint starts, so no record is offered to a handler that would refuse it.
/// </summary>
sealed class DispatchRoutes
{
    readonly IReadOnlyList<IReceiveEndpointDispatcher> _dispatchers;
    readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _firstHandlerByUrn;

    /// <param name="handlers">Each handler's dispatcher and the message types it consumes, in the endpoint's order.</param>
    public DispatchRoutes(IReadOnlyList<(IReceiveEndpointDispatcher Dispatcher, IReadOnlyList<Type> MessageTypes)> handlers)
    {
        _dispatchers = handlers.Select(h => h.Dispatcher).ToList();
        var firstHandlerByUrn = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < handlers.Count; i++)
            foreach (var type in handlers[i].MessageTypes)
                firstHandlerByUrn.TryAdd(MessageUrn.ForTypeString(type), i);
        _firstHandlerByUrn = firstHandlerByUrn.GetAlternateLookup<ReadOnlySpan<char>>();
        MessageTypes = firstHandlerByUrn.Keys.Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The URNs of every message type some handler of the endpoint consumes.</summary>
    public IReadOnlyList<string> MessageTypes { get; }

    /// <summary>
    /// The dispatcher for a record whose header names these types (<c>urn:message:…</c>, separated by ';'),
    /// or null when no handler consumes any of them.
    /// </summary>
    public IReceiveEndpointDispatcher? For(string messageTypeHeader)
    {
        var first = int.MaxValue;
        foreach (var range in messageTypeHeader.AsSpan().Split(';'))
            if (_firstHandlerByUrn.TryGetValue(messageTypeHeader.AsSpan()[range].Trim(), out var handler) && handler < first)
                first = handler;
        return first == int.MaxValue ? null : _dispatchers[first];
    }
}
