using System.ComponentModel.DataAnnotations;

namespace SagaEngine.Consumers.Inventory;

/// <summary>Settings under <c>Inventory</c>.</summary>
public class InventoryOptions : IValidatableObject
{
    public const string Section = "Inventory";

    /// <summary>Stock per SKU created on first start. SKUs already in the database keep their counts.</summary>
    public Dictionary<string, int> InitialStock { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        InitialStock.Where(s => s.Value < 0)
            .Select(s => new ValidationResult($"{Section}:InitialStock:{s.Key} must be 0 or more, not {s.Value}.",
                [$"{Section}:InitialStock:{s.Key}"]));
}
