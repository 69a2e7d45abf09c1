namespace SagaEngine.Contracts;

/// <summary>Compensation: put back whatever the order reserved.</summary>
public record ReleaseInventory(Guid OrderId);
