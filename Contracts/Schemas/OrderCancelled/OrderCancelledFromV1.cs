using System.Text.Json.Nodes;

namespace SagaEngine.Contracts.Schemas;

/// <summary>
/// Version 1 carried the reason only. The customer, the lines, the total and the order's sequence
/// number cannot be known from it: they are left null.
/// </summary>
public sealed class OrderCancelledFromV1() : Upcaster<OrderCancelled>(from: 1)
{
    public override JsonObject Upcast(JsonObject message)
    {
        message.TryAdd("customerId", null);
        message.TryAdd("items", null);
        message.TryAdd("total", null);
        message.TryAdd("currency", null);
        message.TryAdd("sequence", null);
        return message;
    }
}
