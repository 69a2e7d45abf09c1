using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;

namespace SagaEngine.Host.Security;

/// <summary>The two authorization policies of the API and how a route declares the stricter one.</summary>
public static class OperatorPolicies
{
    /// <summary>State-changing operator actions: a valid operator key (or, with none configured, a loopback client).</summary>
    public const string Operator = "operator";

    /// <summary>
    /// Every other API route: open unless <c>Security:RequireKeyForReads</c> is true. The fallback policy,
    /// so a route added later is covered without saying so; health and metrics opt out.
    /// </summary>
    public const string ApiCaller = "api-caller";

    /// <summary>
    /// Marks a route (or a group) as an operator action: it needs <c>Authorization: Bearer &lt;key&gt;</c>,
    /// and its OpenAPI operation says so (Swagger UI's Authorize button).
    /// </summary>
    public static TBuilder RequireOperator<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(Operator)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

    /// <summary>The operator's name (the key's name, or <see cref="OperatorKeyHandler.LoopbackOperator"/>) for logs and history.</summary>
    public static string OperatorName(this ClaimsPrincipal user) =>
        user.Identity is { IsAuthenticated: true, Name: { } name } ? name : throw new InvalidOperationException(
            "No operator is authenticated: the route must be marked RequireOperator().");

    internal static bool IsOperatorAction(IEnumerable<object> endpointMetadata) =>
        endpointMetadata.OfType<IAuthorizeData>().Any(a => a.Policy == Operator);
}

/// <summary>Satisfied by anyone while reads are open, and by an authenticated operator otherwise.</summary>
public sealed class ApiCallerRequirement : IAuthorizationRequirement;

public sealed class ApiCallerHandler(Microsoft.Extensions.Options.IOptions<SecurityOptions> options) : AuthorizationHandler<ApiCallerRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ApiCallerRequirement requirement)
    {
        if (!options.Value.RequireKeyForReads || context.User.Identity?.IsAuthenticated == true)
            context.Succeed(requirement);
        return Task.CompletedTask;
    }
}
