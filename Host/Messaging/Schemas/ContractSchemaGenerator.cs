using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization;
using SagaEngine.Contracts.Schemas;
using SagaEngine.Host.Persistence.Outbox;

namespace SagaEngine.Host.Messaging.Schemas;

/// <summary>
/// Generates a contract's JSON Schema with System.Text.Json's own exporter, from the options that write
/// message bodies (<see cref="OutboxJson"/>: camelCase, web defaults). Three settings state what a writer
/// of this release puts on the wire and what every reader may rely on, which the lenient reader does
/// not enforce: numbers are numbers, and nullability and required constructor parameters are as the C#
/// contract declares them (a parameter with a default value is optional).
/// </summary>
public static class ContractSchemaGenerator
{
    public const string Dialect = "https://json-schema.org/draft/2020-12/schema";

    public static JsonSerializerOptions Options { get; } = CreateOptions();

    static readonly JsonSchemaExporterOptions Exporting = new() { TreatNullObliviousAsNonNullable = true };

    static readonly JsonSerializerOptions Writing = new() { WriteIndented = true, NewLine = "\n" };

    public static JsonObject Generate(CatalogMessage message) => Generate(message.Type, message.ShortName, message.Urn, message.Version);

    public static JsonObject Generate(Type type, string title, string urn, int version)
    {
        var schema = new JsonObject
        {
            ["$schema"] = Dialect,
            ["title"] = title,
            ["description"] = $"{urn}, schema version {version}"
        };
        foreach (var (name, value) in Options.GetJsonSchemaAsNode(type, Exporting).AsObject())
            schema[name] = value?.DeepClone();
        return schema;
    }

    /// <summary>As the catalog files are written: indented by two spaces, LF line ends, a final newline.</summary>
    public static string ToText(JsonNode schema) => schema.ToJsonString(Writing) + "\n";

    static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(OutboxJson.Options)
        {
            NumberHandling = JsonNumberHandling.Strict,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
