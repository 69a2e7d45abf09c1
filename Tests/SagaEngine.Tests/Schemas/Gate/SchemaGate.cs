using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using SagaEngine.Contracts.Schemas;
using SagaEngine.Host.Messaging.Schemas;

namespace SagaEngine.Tests.Schemas.Gate;

/// <summary>
/// The compatibility gate: checks the messages of a catalog against its directory of schema files, and
/// returns every violation, each naming the message, the field (or file) and the rule:
/// <list type="bullet">
/// <item>every version from 1 to the current one has its schema and at least one sample, and no later version has files;</item>
/// <item>the current version's schema is what the contract generates now (catalog-not-regenerated);</item>
/// <item>every pair of versions not separated by an upcaster is compatible, each earlier version against
/// every later one, not only the previous (<see cref="SchemaCompatibility"/>);</item>
/// <item>each sample fits its version's schema, and once upcast fits the current one and deserializes into the contract;</item>
/// <item>no file recorded in released.json changed or went away (released-file-changed).</item>
/// </list>
/// </summary>
public static class SchemaGate
{
    /// <summary>Strict where the wire is lenient: a sample with a field the contract lacks, or without a required one, fails.</summary>
    static readonly JsonSerializerOptions Strict = new(ContractSchemaGenerator.Options)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        TypeInfoResolver = ContractSchemaGenerator.Options.TypeInfoResolver
    };

    public static IReadOnlyList<SchemaViolation> Check(IReadOnlyList<CatalogMessage> messages, string catalogDirectory)
    {
        var violations = new List<SchemaViolation>();
        foreach (var message in messages)
            violations.AddRange(CheckMessage(message, catalogDirectory));
        violations.AddRange(CheckReleased(catalogDirectory));
        return violations;
    }

    static IEnumerable<SchemaViolation> CheckMessage(CatalogMessage message, string catalogDirectory)
    {
        var name = message.ShortName;
        var schemas = new Dictionary<int, JsonObject>();
        foreach (var version in message.Versions)
        {
            var file = CatalogFiles.SchemaFile(name, version);
            var path = Path.Combine(catalogDirectory, file);
            if (!File.Exists(path))
            {
                yield return new SchemaViolation(name, $"file {file}", SchemaRules.CatalogIncomplete,
                    $"v{version} has no schema: run scripts/schemas.sh update (a released version's schema cannot be regenerated)");
                continue;
            }
            schemas[version] = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            if (CatalogFiles.Samples(catalogDirectory, name, version).Count == 0)
                yield return new SchemaViolation(name, $"file {name}/v{version}.sample.json", SchemaRules.CatalogIncomplete,
                    $"v{version} has no sample message");
        }
        var later = Path.Combine(catalogDirectory, CatalogFiles.SchemaFile(name, message.Version + 1));
        if (File.Exists(later))
            yield return new SchemaViolation(name, $"file {CatalogFiles.SchemaFile(name, message.Version + 1)}", SchemaRules.CatalogIncomplete,
                $"the catalog has v{message.Version + 1} but the contract says version {message.Version}");

        if (schemas.TryGetValue(message.Version, out var current))
        {
            var generated = ContractSchemaGenerator.Generate(message);
            foreach (var field in Differences(current, generated, ""))
                yield return new SchemaViolation(name, field == "" ? "the message itself" : $"field '{field}'", SchemaRules.CatalogNotRegenerated,
                    $"the contract differs from {CatalogFiles.SchemaFile(name, message.Version)}: run scripts/schemas.sh update " +
                    "(if that version is released, give the contract a new version instead)");
        }

        foreach (var (older, newer) in UnseparatedPairs(message))
            if (schemas.TryGetValue(older, out var o) && schemas.TryGetValue(newer, out var n))
                foreach (var violation in SchemaCompatibility.Check(name, older, o, newer, n))
                    yield return violation with { Detail = $"{violation.Detail}; allowed only with a new version and an upcaster from v{older}" };

        foreach (var violation in CheckSamples(message, catalogDirectory, schemas))
            yield return violation;
    }

    /// <summary>Every (older, newer) pair with no upcaster between them: a record of the older is read as the newer unchanged.</summary>
    static IEnumerable<(int Older, int Newer)> UnseparatedPairs(CatalogMessage message)
    {
        for (var older = 1; older < message.Version; older++)
        for (var newer = older + 1; newer <= message.Version; newer++)
        {
            if (message.Upcasters.ContainsKey(newer - 1))
                break;
            yield return (older, newer);
        }
    }

    static IEnumerable<SchemaViolation> CheckSamples(CatalogMessage message, string catalogDirectory, Dictionary<int, JsonObject> schemas)
    {
        var name = message.ShortName;
        schemas.TryGetValue(message.Version, out var current);
        foreach (var version in message.Versions.Where(schemas.ContainsKey))
        foreach (var sample in CatalogFiles.Samples(catalogDirectory, name, version))
        {
            var body = JsonNode.Parse(File.ReadAllText(Path.Combine(catalogDirectory, sample)))!.AsObject();
            foreach (var error in SampleValidator.Validate(body, schemas[version]))
                yield return new SchemaViolation(name, $"file {sample}", SchemaRules.SampleInvalid, $"does not fit v{version}: {error}");
            if (current is null)
                continue;

            string? failure = null;
            JsonObject? upcast = null;
            try
            {
                upcast = MessageCatalog.UpcastToCurrent(message, version, body.DeepClone().AsObject());
                JsonSerializer.Deserialize(upcast.ToJsonString(), message.Type, Strict);
            }
            catch (Exception e)
            {
                failure = e.Message;
            }
            if (failure is not null)
                yield return new SchemaViolation(name, $"file {sample}", SchemaRules.SampleInvalid,
                    $"v{version} upcast to v{message.Version} does not deserialize into {message.Type.Name}: {failure}");
            else if (version < message.Version)
                foreach (var error in SampleValidator.Validate(upcast, current))
                    yield return new SchemaViolation(name, $"file {sample}", SchemaRules.SampleInvalid,
                        $"v{version} upcast to v{message.Version} does not fit v{message.Version}: {error}");
        }
    }

    static IEnumerable<SchemaViolation> CheckReleased(string catalogDirectory)
    {
        foreach (var (file, hash) in CatalogFiles.ReadReleased(catalogDirectory))
        {
            var message = file.Split('/')[0];
            var path = Path.Combine(catalogDirectory, file);
            if (!File.Exists(path))
                yield return new SchemaViolation(message, $"file {file}", SchemaRules.ReleasedFileChanged,
                    "it was released and has been deleted; released files are never changed");
            else if (CatalogFiles.Hash(path) != hash)
                yield return new SchemaViolation(message, $"file {file}", SchemaRules.ReleasedFileChanged,
                    "it was released and has been edited since; released files are never changed: add a new version instead");
        }
    }

    /// <summary>The fields (dotted paths) whose schema differs between the two, or "" when the message itself does.</summary>
    static IEnumerable<string> Differences(JsonObject file, JsonObject generated, string path)
    {
        var fileFields = file["properties"] as JsonObject ?? [];
        var generatedFields = generated["properties"] as JsonObject ?? [];
        var found = false;
        foreach (var name in fileFields.Select(p => p.Key).Union(generatedFields.Select(p => p.Key)))
        {
            var field = path == "" ? name : $"{path}.{name}";
            var (a, b) = (fileFields[name], generatedFields[name]);
            if (JsonNode.DeepEquals(a, b))
                continue;
            found = true;
            if (a is JsonObject ao && b is JsonObject bo && ao["properties"] is not null && bo["properties"] is not null)
                foreach (var inner in Differences(ao, bo, field))
                    yield return inner;
            else
                yield return field;
        }
        if (!found && !JsonNode.DeepEquals(file, generated))
            yield return path;
    }
}
