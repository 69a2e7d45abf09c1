using System.Text.Json;
using System.Text.Json.Nodes;

namespace SagaEngine.Tests.Schemas.Gate;

/// <summary>
/// Checks a sample message against a catalog schema: the keywords the exporter writes (type, format of
/// uuid and date-time, enum, properties, required, items), and no field the schema does not name, since a
/// sample shows exactly what a version looks like.
/// </summary>
public static class SampleValidator
{
    public static IReadOnlyList<string> Validate(JsonNode? value, JsonObject schema)
    {
        var errors = new List<string>();
        Check(value, schema, "", errors);
        return errors;
    }

    static void Check(JsonNode? value, JsonObject schema, string path, List<string> errors)
    {
        var at = path == "" ? "the message" : $"'{path}'";
        var kind = KindOf(value);
        var allowed = schema["type"] switch
        {
            JsonArray array => array.Select(t => t!.GetValue<string>()).ToList(),
            JsonValue single => [single.GetValue<string>()],
            _ => null
        };
        if (allowed is not null && !allowed.Contains(kind) && !(kind == "integer" && allowed.Contains("number")))
        {
            errors.Add($"{at} is {kind}, the schema says {string.Join(" or ", allowed)}");
            return;
        }
        if (schema["enum"] is JsonArray values && !values.Any(v => JsonNode.DeepEquals(v, value)))
            errors.Add($"{at} is {value?.ToJsonString()}, not one of {values.ToJsonString()}");
        if (value is JsonValue text && text.TryGetValue<string>(out var s) && schema["format"]?.GetValue<string>() is { } format
            && !(format switch { "uuid" => Guid.TryParse(s, out _), "date-time" => DateTimeOffset.TryParse(s, out _), _ => true }))
            errors.Add($"{at} '{s}' is not a {format}");

        if (value is JsonArray items && schema["items"] is JsonObject itemSchema)
            for (var i = 0; i < items.Count; i++)
                Check(items[i], itemSchema, $"{path}[{i}]", errors);

        if (value is not JsonObject obj)
            return;
        var properties = schema["properties"] as JsonObject ?? [];
        foreach (var required in (schema["required"] as JsonArray ?? []).Select(r => r!.GetValue<string>()))
            if (!obj.ContainsKey(required))
                errors.Add($"'{Join(path, required)}' is required and missing");
        foreach (var (name, field) in obj)
        {
            if (properties[name] is JsonObject fieldSchema)
                Check(field, fieldSchema, Join(path, name), errors);
            else
                errors.Add($"'{Join(path, name)}' is not a field of this version");
        }
    }

    static string Join(string path, string name) => path == "" ? name : $"{path}.{name}";

    static string KindOf(JsonNode? value) => value?.GetValueKind() switch
    {
        null or JsonValueKind.Null => "null",
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Number when value.AsValue().TryGetValue<decimal>(out var d) && d == decimal.Truncate(d) && !value.ToJsonString().Contains('.') => "integer",
        _ => "number"
    };
}
