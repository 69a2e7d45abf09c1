using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Serilog;

namespace SagaEngine.Host.Security;

public static class SecurityExtensions
{
    /// <summary>
    /// Operator keys (<c>Security</c>, checked at start-up) through ASP.NET Core's own authentication and
    /// authorization: the <see cref="OperatorKeyHandler"/> scheme, the <see cref="OperatorPolicies.Operator"/>
    /// policy routes opt into with <see cref="OperatorPolicies.RequireOperator{TBuilder}"/>, and the
    /// <see cref="OperatorPolicies.ApiCaller"/> fallback policy for everything else.
    /// </summary>
    public static WebApplicationBuilder AddSecurity(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SecurityOptions>, SecurityOptionsValidator>());
        services.TryAddSingleton<OperatorKeyring>();

        services.AddAuthentication(OperatorKeyHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, OperatorKeyHandler>(OperatorKeyHandler.SchemeName, null);
        services.AddSingleton<IAuthorizationHandler, ApiCallerHandler>();
        services.AddAuthorizationBuilder()
            .AddPolicy(OperatorPolicies.Operator, p => p.AddAuthenticationSchemes(OperatorKeyHandler.SchemeName).RequireAuthenticatedUser())
            .AddPolicy(OperatorPolicies.ApiCaller, p => ApiCaller(p))
            .SetFallbackPolicy(ApiCaller(new AuthorizationPolicyBuilder()).Build());

        services.ConfigureSwaggerGen(o =>
        {
            o.AddSecurityDefinition(OperatorKeyOpenApi.SchemeId, OperatorKeyOpenApi.Scheme);
            o.OperationFilter<OperatorKeyOpenApi>();
        });
        services.AddHostedService<SecurityStartupLog>();
        return builder;
    }

    static AuthorizationPolicyBuilder ApiCaller(AuthorizationPolicyBuilder policy) =>
        policy.AddAuthenticationSchemes(OperatorKeyHandler.SchemeName).AddRequirements(new ApiCallerRequirement());

    /// <summary>Authentication and authorization, and the operator's name on the request's log line. After routing.</summary>
    public static WebApplication UseSecurity(this WebApplication app)
    {
        app.UseAuthentication();
        app.Use((context, next) =>
        {
            if (context.User.Identity is { IsAuthenticated: true, Name: { } name })
                context.RequestServices.GetRequiredService<IDiagnosticContext>().Set("Operator", name);
            return next(context);
        });
        app.UseAuthorization();
        return app;
    }
}
