namespace SagaEngine.Contracts;

/// <summary>
/// Who a command is for. Part of the contract: the saga sends to these names and the services
/// listen on them; the host decides which transport sits behind each name.
/// </summary>
public static class ServiceEndpoints
{
    public const string Inventory = "inventory";
    public const string Payment = "payment";

    public static readonly Uri InventoryAddress = new($"queue:{Inventory}");
    public static readonly Uri PaymentAddress = new($"queue:{Payment}");
}
