using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace SagaEngine.Contracts.Schemas;

/// <summary>One message type of the catalog: its identity, the version this release writes, and the upcasters to it.</summary>
/// <param name="Type">The .NET type this release reads and writes it as.</param>
/// <param name="Name">Its identity, e.g. <c>sagaengine:order-confirmed</c>.</param>
/// <param name="Version">The schema version this release writes.</param>
/// <param name="Upcasters">By the version each step starts from; a version without one is read as the next unchanged.</param>
public sealed record CatalogMessage(Type Type, string Name, int Version, IReadOnlyDictionary<int, IUpcaster> Upcasters)
{
    /// <summary>The short name: the catalog folder, <c>GET /schemas/{type}</c>, the key under <c>Kafka:PublishTopics</c>.</summary>
    public string ShortName => Type.Name;

    /// <summary>What the <c>MT-MessageType</c> header of its records says.</summary>
    public string Urn => MessageCatalog.UrnPrefix + Name;

    /// <summary>What records written before identities existed (release 1) call it.</summary>
    public string Release1Urn => MessageCatalog.Release1UrnPrefix + Type.Name;

    public IEnumerable<int> Versions => Enumerable.Range(1, Version);
}

/// <summary>
/// The messages of the contracts, each with its stable identity, current schema version and upcasting
/// chain. The JSON schemas of every version live beside this file, in <c>Schemas/&lt;ShortName&gt;/v&lt;N&gt;.schema.json</c>.
/// </summary>
public static partial class MessageCatalog
{
    public const string UrnPrefix = "urn:message:";

    /// <summary>Release 1 named each message after its .NET type, as MassTransit does by default.</summary>
    public const string Release1UrnPrefix = "urn:message:SagaEngine.Contracts:";

    /// <summary>Every message of <c>SagaEngine.Contracts</c> that has a <see cref="MessageIdentityAttribute"/>.</summary>
    public static IReadOnlyList<CatalogMessage> Messages { get; } = Build(
        typeof(MessageCatalog).Assembly.GetTypes().Where(t => t.Namespace == typeof(OrderSubmitted).Namespace),
        typeof(MessageCatalog).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsClass: true } && typeof(IUpcaster).IsAssignableFrom(t))
            .Select(t => (IUpcaster)Activator.CreateInstance(t)!));

    /// <summary>The catalog of the given types (those with an identity) and upcasters; refuses an inconsistent one.</summary>
    public static IReadOnlyList<CatalogMessage> Build(IEnumerable<Type> types, IEnumerable<IUpcaster> upcasters)
    {
        var steps = upcasters.ToList();
        var messages = new List<CatalogMessage>();
        foreach (var type in types)
        {
            if (type.GetCustomAttribute<MessageIdentityAttribute>() is not { } identity)
                continue;
            if (!IdentityName().IsMatch(identity.Name))
                throw new InvalidOperationException(
                    $"{type.Name}: identity '{identity.Name}' must be lower-case words separated by ':' or '-', such as 'sagaengine:order-confirmed'.");
            if (identity.Version < 1)
                throw new InvalidOperationException($"{type.Name}: schema version {identity.Version} must be 1 or more.");

            var chain = new Dictionary<int, IUpcaster>();
            foreach (var step in steps.Where(s => s.MessageType == type))
            {
                if (step.From < 1 || step.From >= identity.Version)
                    throw new InvalidOperationException(
                        $"{type.Name}: upcaster {step.GetType().Name} starts at version {step.From}, outside 1 to {identity.Version - 1}.");
                if (!chain.TryAdd(step.From, step))
                    throw new InvalidOperationException(
                        $"{type.Name}: {step.GetType().Name} and {chain[step.From].GetType().Name} both upcast version {step.From}.");
            }
            messages.Add(new CatalogMessage(type, identity.Name, identity.Version, chain));
        }

        foreach (var step in steps.Where(s => messages.All(m => m.Type != s.MessageType)))
            throw new InvalidOperationException($"Upcaster {step.GetType().Name} is for {step.MessageType.Name}, which has no message identity.");
        foreach (var clash in messages.GroupBy(m => m.Name).Where(g => g.Count() > 1))
            throw new InvalidOperationException($"{string.Join(" and ", clash.Select(m => m.Type.Name))} share the identity '{clash.Key}'.");
        foreach (var clash in messages.GroupBy(m => m.ShortName).Where(g => g.Count() > 1))
            throw new InvalidOperationException($"Several messages are named {clash.Key}; short names must be unique.");
        return messages;
    }

    /// <summary>Brings a body of version <paramref name="from"/> to the message's current version, step by step.</summary>
    public static JsonObject UpcastToCurrent(CatalogMessage message, int from, JsonObject body)
    {
        if (from < 1 || from > message.Version)
            throw new ArgumentOutOfRangeException(nameof(from), from,
                $"{message.ShortName} has schema versions 1 to {message.Version}, not {from}.");
        for (var version = from; version < message.Version; version++)
            if (message.Upcasters.TryGetValue(version, out var step))
                body = step.Upcast(body);
        return body;
    }

    [GeneratedRegex("^[a-z0-9]+(?:[:-][a-z0-9]+)*$")]
    private static partial Regex IdentityName();
}
