namespace SagaEngine.Contracts;

/// <summary>One line of an order: how many of a SKU, at what unit price.</summary>
public record OrderLine(string Sku, int Quantity, decimal UnitPrice);
