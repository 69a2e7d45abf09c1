using System.Linq.Expressions;
using System.Reflection;
using SagaEngine.Contracts.Schemas;
using SagaEngine.Contracts.Validation;
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
    static readonly Dictionary<Type, Func<object, EventStream>> Accessors = MessageCatalog.Messages
        .Select(m => m.Type)
        .Select(t => (Type: t, OrderId: t.GetProperty("OrderId"), Sequence: t.GetProperty("Sequence")))
        .Where(t => t.OrderId?.PropertyType == typeof(Guid) && (t.Sequence?.PropertyType == typeof(int) || t.Sequence?.PropertyType == typeof(int?)))
        .ToDictionary(t => t.Type, t => Accessor(t.Type, t.OrderId!, t.Sequence!));

    public static IReadOnlyCollection<Type> All { get; } = Accessors.Keys.OrderBy(t => t.Name, StringComparer.Ordinal).ToList();

    /// <summary>The order an event is about (its stream, keyed by the order id's text) and its place in it.</summary>
    public static EventStream? StreamOf(object message) => Accessors.TryGetValue(message.GetType(), out var accessor) ? accessor(message) : null;

    static readonly IReadOnlyDictionary<string, string[]> NoErrors = new Dictionary<string, string[]>();

    /// <summary>The fields that break the event's contract rules, the ones every Kafka endpoint checks before its handler runs.</summary>
    public static IReadOnlyDictionary<string, string[]> Invalid(object message) => ContractRules.For(message.GetType())?.Validate(message) ?? NoErrors;

    /// <summary>Reads both properties without reflection on every event: a rebuild reads hundreds of thousands.</summary>
    static Func<object, EventStream> Accessor(Type type, PropertyInfo orderId, PropertyInfo sequence)
    {
        var message = Expression.Parameter(typeof(object));
        var typed = Expression.Convert(message, type);
        var key = Expression.Call(Expression.Property(typed, orderId), typeof(Guid).GetMethod(nameof(Guid.ToString), Type.EmptyTypes)!);
        var number = Expression.Convert(Expression.Property(typed, sequence), typeof(int?));
        var stream = Expression.New(typeof(EventStream).GetConstructor([typeof(string), typeof(int?)])!, key, number);
        return Expression.Lambda<Func<object, EventStream>>(stream, message).Compile();
    }
}
