using System.Collections.Concurrent;
using MassTransit;
using SagaEngine.Host.Kafka.Consuming;

namespace SagaEngine.Host.Messaging;

/// <summary>Finds the .NET type behind a message type URN (<c>urn:message:Namespace:Type</c>) among the loaded assemblies.</summary>
public sealed class MessageTypes : IKnownMessageTypes
{
    const string Prefix = "urn:message:";
    readonly ConcurrentDictionary<string, Type?> _known = new();

    public Type? Find(string urn) => _known.GetOrAdd(urn, Search);

    /// <summary>
    /// Whether a loaded type has this URN. Only hits are kept: URNs come from untrusted records, and
    /// remembering every made-up one would let a producer grow this cache without end.
    /// </summary>
    public bool IsKnown(string urn)
    {
        if (_known.TryGetValue(urn, out var type))
            return type is not null;
        if (Search(urn) is not { } found)
            return false;
        _known.TryAdd(urn, found);
        return true;
    }

    static Type? Search(string urn)
    {
        if (!urn.StartsWith(Prefix, StringComparison.Ordinal))
            return null;
        var name = urn[Prefix.Length..];
        var colon = name.LastIndexOf(':');
        if (colon < 0)
            return null;
        var fullName = $"{name[..colon]}.{name[(colon + 1)..]}";
        return AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => !a.IsDynamic)
            .Select(a => a.GetType(fullName))
            .FirstOrDefault(t => t is not null && MessageUrn.ForTypeString(t) == urn);
    }
}
