using System.Text.Json.Nodes;

namespace SagaEngine.Tests.Schemas.Gate;

/// <summary>
/// Says whether records written with an older version of a message's JSON Schema can be read as a newer
/// one without an upcaster, and if not, why: a field removed (or renamed, which removes it), a field's
/// type changed (JSON types, nullability or format), an optional field made required, a required field
/// added (a field with a default value is optional), a value removed from an enumeration. Nested objects
/// and array items are compared field by field. Pure: schemas in, violations out.
/// </summary>
public static class SchemaCompatibility
{
    public static IReadOnlyList<SchemaViolation> Check(string message, int oldVersion, JsonNode oldSchema, int newVersion, JsonNode newSchema)
    {
        var violations = new List<SchemaViolation>();
        Compare(oldSchema.AsObject(), newSchema.AsObject(), "", Report);
        return violations;

        void Report(string field, string rule, string detail) =>
            violations.Add(new SchemaViolation(message, field == "" ? "the message itself" : $"field '{field}'", rule,
                $"v{oldVersion} → v{newVersion}: {detail}"));
    }

    static void Compare(JsonObject old, JsonObject @new, string path, Action<string, string, string> report)
    {
        var (oldType, newType) = (TypeOf(old), TypeOf(@new));
        if (oldType != newType)
        {
            report(path, SchemaRules.FieldRetyped, $"its type changed from {oldType} to {newType}");
            return;
        }

        if (old["enum"] is JsonArray oldValues && @new["enum"] is JsonArray newValues)
            foreach (var value in oldValues.Where(v => !newValues.Any(n => JsonNode.DeepEquals(n, v))))
                report(path, SchemaRules.EnumValueRemoved, $"the value {value?.ToJsonString() ?? "null"} was removed from its enumeration");

        if (old["items"] is JsonObject oldItems && @new["items"] is JsonObject newItems)
            Compare(oldItems, newItems, path + "[]", report);

        var oldFields = Properties(old);
        var newFields = Properties(@new);
        var (oldRequired, newRequired) = (Required(old), Required(@new));
        foreach (var (name, oldField) in oldFields)
        {
            var field = path == "" ? name : $"{path}.{name}";
            if (!newFields.TryGetValue(name, out var newField))
            {
                report(field, SchemaRules.FieldRemoved, "it was removed (or renamed), so old records' value would be lost");
                continue;
            }
            if (!oldRequired.Contains(name) && newRequired.Contains(name))
                report(field, SchemaRules.OptionalBecameRequired, "it was optional and is now required, but old records may lack it");
            Compare(oldField, newField, field, report);
        }
        foreach (var name in newFields.Keys.Where(n => !oldFields.ContainsKey(n) && newRequired.Contains(n)))
            report(path == "" ? name : $"{path}.{name}", SchemaRules.RequiredFieldAdded,
                "it was added as required without a default, but old records lack it (give it a default value)");
    }

    /// <summary>The JSON types and format, as one comparable text: "string|null (uuid)".</summary>
    static string TypeOf(JsonObject schema)
    {
        IEnumerable<string> types = schema["type"] switch
        {
            JsonArray array => array.Select(t => t!.GetValue<string>()).Order(StringComparer.Ordinal).ToList(),
            JsonValue value => [value.GetValue<string>()],
            _ => ["any"]
        };
        var format = schema["format"]?.GetValue<string>();
        return string.Join("|", types) + (format is null ? "" : $" ({format})");
    }

    static Dictionary<string, JsonObject> Properties(JsonObject schema) =>
        schema["properties"] is JsonObject properties
            ? properties.ToDictionary(p => p.Key, p => p.Value!.AsObject())
            : [];

    static HashSet<string> Required(JsonObject schema) =>
        schema["required"] is JsonArray required ? required.Select(r => r!.GetValue<string>()).ToHashSet() : [];
}
