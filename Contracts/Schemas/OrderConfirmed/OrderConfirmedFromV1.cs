using System.Text.Json.Nodes;

namespace SagaEngine.Contracts.Schemas;

/// <summary>
/// Version 1 carried the total and currency only. The customer, the lines and the order's sequence
/// number cannot be known from it: they are left null.
/// </summary>
public sealed class OrderConfirmedFromV1() : Upcaster<OrderConfirmed>(from: 1)
{
    public override JsonObject Upcast(JsonObject message)
    {
        message.TryAdd("customerId", null);
        message.TryAdd("items", null);
        message.TryAdd("sequence", null);
        return message;
    }
}
