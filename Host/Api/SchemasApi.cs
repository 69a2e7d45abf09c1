using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using SagaEngine.Host.Messaging.Schemas;

namespace SagaEngine.Host.Api;

/// <param name="Type">The short name, as in <c>GET /schemas/{type}/{version}</c>.</param>
/// <param name="Identity">The stable identity, e.g. <c>sagaengine:order-confirmed</c>.</param>
/// <param name="Urn">What the <c>MT-MessageType</c> header of its records says.</param>
/// <param name="CurrentVersion">The schema version this release writes.</param>
/// <param name="Versions">Every version in the catalog, each readable by this release.</param>
/// <param name="Topics">The Kafka topics that carry it; empty when the flow does not run on Kafka.</param>
public sealed record MessageSchemaView(string Type, string Identity, string Urn, int CurrentVersion, IReadOnlyList<int> Versions,
    IReadOnlyList<string> Topics);

/// <summary>The schema catalog: every message type, its versions, and each version's JSON Schema.</summary>
public static class SchemasApi
{
    public const string SchemaContentType = "application/schema+json";

    public static IEndpointRouteBuilder MapSchemasApi(this IEndpointRouteBuilder app)
    {
        var schemas = app.MapGroup("/schemas").WithTags("Schemas");
        schemas.MapGet("/", List)
            .WithSummary("Every message type: its identity, current schema version, versions and the topics that carry it");
        schemas.MapGet("/{type}/{version}", Get)
            .WithSummary("One version's JSON Schema, e.g. /schemas/OrderConfirmed/2")
            .Produces<JsonObject>(StatusCodes.Status200OK, SchemaContentType)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    static Ok<List<MessageSchemaView>> List(ContractSchemas schemas, MessageTopics topics) =>
        TypedResults.Ok(schemas.Messages.OrderBy(m => m.ShortName, StringComparer.Ordinal)
            .Select(m => new MessageSchemaView(m.ShortName, m.Name, m.Urn, m.Version, m.Versions.ToList(), topics.Of(m.Type)))
            .ToList());

    static Results<ContentHttpResult, ProblemHttpResult, ValidationProblem> Get(string type, string version, ContractSchemas schemas)
    {
        if (!int.TryParse(version, out var number) || number < 1)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["version"] = ["A schema version: 1, 2, …"] });
        if (schemas.FindMessage(type) is not { } message)
            return TypedResults.Problem($"No message type is called '{type}'; GET /schemas lists them.",
                statusCode: StatusCodes.Status404NotFound, title: "Message type not found.");
        var resource = $"schemas/{message.ShortName}/v{number}.schema.json";
        using var stream = typeof(SchemasApi).Assembly.GetManifestResourceStream(resource);
        if (stream is null)
            return TypedResults.Problem($"{message.ShortName} has versions 1 to {message.Version}, not {number}.",
                statusCode: StatusCodes.Status404NotFound, title: "Schema version not found.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return TypedResults.Content(reader.ReadToEnd(), SchemaContentType, Encoding.UTF8);
    }
}
