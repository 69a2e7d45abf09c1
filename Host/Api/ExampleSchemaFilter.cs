using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace SagaEngine.Host.Api;

/// <summary>Gives the order body a valid example, so Swagger UI's "Try it out" submits a real order as is.</summary>
public class ExampleSchemaFilter : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (context.Type != typeof(SubmitOrderRequest) || schema is not OpenApiSchema concrete)
            return;
        // The document is written as OpenAPI 3.0, where a schema's example is the single "example".
#pragma warning disable CS0618
        concrete.Example = JsonNode.Parse("""
                {"customerId":"cust-1","currency":"EUR","items":[{"sku":"SKU-1","quantity":2,"unitPrice":12.50}],"paymentToken":"tok_ok"}
                """);
#pragma warning restore CS0618
    }
}
