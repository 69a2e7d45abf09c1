using System.Reflection;
using SagaEngine.Contracts.Schemas;
using SagaEngine.Host.Projections;

namespace SagaEngine.Consumers.Projections;

/// <summary>
/// The events about an order, as the read models see them: every catalogued message with an
/// <c>OrderId</c> and a <c>Sequence</c> (see docs/schemas.md). Each order is one stream, keyed by its id,
/// numbered without gaps across all of them, so every projection reads them all, even those it ignores:
/// otherwise the numbers of the ones it skipped would be gaps.
/// </summary>
public static class OrderEvents
{
    static readonly Dictionary<Type, (PropertyInfo OrderId, PropertyInfo Sequence)> Accessors = MessageCatalog.Messages
        .Select(m => m.Type)
        .Select(t => (Type: t, OrderId: t.GetProperty("OrderId"), Sequence: t.GetProperty("Sequence")))
        .Where(t => t.OrderId?.PropertyType == typeof(Guid) && (t.Sequence?.PropertyType == typeof(int) || t.Sequence?.PropertyType == typeof(int?)))
        .ToDictionary(t => t.Type, t => (t.OrderId!, t.Sequence!));

    public static IReadOnlyCollection<Type> All { get; } = Accessors.Keys.OrderBy(t => t.Name, StringComparer.Ordinal).ToList();

    /// <summary>The order an event is about (its stream, keyed by the order id's text) and its place in it.</summary>
    public static EventStream? StreamOf(object message) =>
        Accessors.TryGetValue(message.GetType(), out var accessors)
            ? new EventStream(((Guid)accessors.OrderId.GetValue(message)!).ToString(), (int?)accessors.Sequence.GetValue(message))
            : null;
}
