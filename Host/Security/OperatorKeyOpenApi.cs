using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace SagaEngine.Host.Security;

/// <summary>
/// Puts the operator key in the OpenAPI document: a bearer scheme (Swagger UI's Authorize button) that
/// operator actions require, and with <c>Security:RequireKeyForReads</c> every other API route too.
/// </summary>
public sealed class OperatorKeyOpenApi(IOptions<SecurityOptions> options) : IOperationFilter
{
    public const string SchemeId = "operatorKey";

    public static OpenApiSecurityScheme Scheme => new()
    {
        Type = SecuritySchemeType.Http,
        Scheme = "bearer",
        Description = "An operator key from Security:OperatorKeys, sent as Authorization: Bearer <key>. " +
                      "Operator actions need one; with none configured, only loopback clients may act."
    };

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        if (!OperatorPolicies.IsOperatorAction(metadata) && !options.Value.RequireKeyForReads)
            return;
        operation.Security ??= [];
        operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeId, context.Document)] = [] });
        operation.Responses ??= [];
        operation.Responses.TryAdd("401", new OpenApiResponse { Description = "No operator key was sent." });
        operation.Responses.TryAdd("403", new OpenApiResponse { Description = "The key is wrong, or no key is configured and the client is not on loopback." });
    }
}
