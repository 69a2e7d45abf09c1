using System.Reflection;
using MassTransit;
using SagaEngine.Contracts;

namespace SagaEngine.Host.Messaging;

/// <summary>
/// Every contract carries its order's id. Making it the messages' correlation id gives all messages
/// of one order one ordering key, which the outbox relay (and a keyed transport) deliver in order.
/// </summary>
public static class OrderCorrelation
{
    static readonly MethodInfo CorrelateMethod =
        typeof(OrderCorrelation).GetMethod(nameof(Correlate), BindingFlags.NonPublic | BindingFlags.Static)!;

    public static IReadOnlyList<Type> CorrelatedContracts { get; } = typeof(OrderSubmitted).Assembly.GetTypes()
        .Where(t => t.Namespace == typeof(OrderSubmitted).Namespace && t is { IsClass: true, IsAbstract: false }
                    && t.GetProperty(nameof(OrderSubmitted.OrderId))?.PropertyType == typeof(Guid))
        .ToList();

    public static void CorrelateContractsByOrderId(this IBusFactoryConfigurator bus)
    {
        foreach (var contract in CorrelatedContracts)
            CorrelateMethod.MakeGenericMethod(contract).Invoke(null, [bus]);
    }

    static void Correlate<T>(IBusFactoryConfigurator bus) where T : class
    {
        var orderId = typeof(T).GetProperty(nameof(OrderSubmitted.OrderId))!.GetMethod!.CreateDelegate<Func<T, Guid>>();
        bus.Send<T>(s => s.UseCorrelationId(orderId));
    }
}
