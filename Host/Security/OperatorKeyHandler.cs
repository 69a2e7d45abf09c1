using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace SagaEngine.Host.Security;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;key&gt;</c> against <c>Security:OperatorKeys</c>; the key's
/// name becomes the user's name. With no key configured, a loopback client is the operator
/// <see cref="LoopbackOperator"/> and any other client is refused. A missing key is answered 401, a
/// wrong one 403, both as ProblemDetails.
/// </summary>
public sealed class OperatorKeyHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    OperatorKeyring keyring,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "OperatorKey";

    /// <summary>Who acts when no key is configured and the client is on this machine.</summary>
    public const string LoopbackOperator = "loopback";

    const string WrongKey = "The key sent is not one of Security:OperatorKeys.";

    const string NoKeysConfigured = "No operator keys are configured (Security:OperatorKeys), so this is allowed only from the host's own " +
                                    "machine (loopback). Configure a key and send it as Authorization: Bearer <key>.";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (keyring.IsEmpty)
            return Task.FromResult(LoopbackClients.IsLoopback(Context) ? Success(LoopbackOperator) : AuthenticateResult.Fail(NoKeysConfigured));
        if (Request.Headers.Authorization is not [{ } header])
            return Task.FromResult(Request.Headers.Authorization.Count == 0
                ? AuthenticateResult.NoResult()
                : AuthenticateResult.Fail("More than one Authorization header was sent."));
        if (!AuthenticationHeaderValue.TryParse(header, out var value) || !value.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
            return Task.FromResult(AuthenticateResult.NoResult());
        return Task.FromResult(value.Parameter is { } key && keyring.NameOf(key) is { } name ? Success(name) : AuthenticateResult.Fail(WrongKey));
    }

    AuthenticateResult Success(string name) =>
        AuthenticateResult.Success(new AuthenticationTicket(
            new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, name)], SchemeName)), SchemeName));

    /// <summary>No key: 401 naming the scheme. A key that is wrong, or a client refused outright: 403.</summary>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        if (result.Failure is { } failure)
        {
            await Problem(StatusCodes.Status403Forbidden, "Operator key refused.", failure.Message);
            return;
        }

        Response.Headers.WWWAuthenticate = "Bearer";
        await Problem(StatusCodes.Status401Unauthorized, "Operator key required.",
            "Send an operator key from Security:OperatorKeys as Authorization: Bearer <key>.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problem(StatusCodes.Status403Forbidden, "Not allowed.", "This operator may not do this.");

    async Task Problem(int status, string title, string detail)
    {
        Response.StatusCode = status;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail }
        });
    }
}
