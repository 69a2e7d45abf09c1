using System.Collections.Concurrent;
using MassTransit;

namespace SagaEngine.Host.Messaging;

/// <summary>Finds the .NET type behind a message type URN (<c>urn:message:Namespace:Type</c>) among the loaded assemblies.</summary>
public sealed class MessageTypes
{
    const string Prefix = "urn:message:";
    readonly ConcurrentDictionary<string, Type?> _known = new();

    public Type? Find(string urn) => _known.GetOrAdd(urn, Search);

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
