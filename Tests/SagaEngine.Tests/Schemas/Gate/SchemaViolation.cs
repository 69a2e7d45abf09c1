namespace SagaEngine.Tests.Schemas.Gate;

/// <summary>One thing the gate refuses: which message, which field (or file), which rule, and what exactly.</summary>
public sealed record SchemaViolation(string Message, string Field, string Rule, string Detail)
{
    public override string ToString() => $"{Message}: {Field}: {Rule}: {Detail}";
}

/// <summary>The rules, by the names the gate's messages use.</summary>
public static class SchemaRules
{
    public const string FieldRemoved = "field-removed";
    public const string FieldRetyped = "field-retyped";
    public const string OptionalBecameRequired = "optional-became-required";
    public const string RequiredFieldAdded = "required-field-added";
    public const string EnumValueRemoved = "enum-value-removed";
    public const string CatalogNotRegenerated = "catalog-not-regenerated";
    public const string ReleasedFileChanged = "released-file-changed";
    public const string CatalogIncomplete = "catalog-incomplete";
    public const string SampleInvalid = "sample-invalid";
}
