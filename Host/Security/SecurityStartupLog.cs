using Microsoft.Extensions.Options;

namespace SagaEngine.Host.Security;

/// <summary>Says at start-up who may take operator actions, so an open host is never open by surprise.</summary>
public sealed class SecurityStartupLog(OperatorKeyring keyring, IOptions<SecurityOptions> options, ILogger<SecurityStartupLog> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (keyring.IsEmpty)
            logger.LogWarning("No operator keys are configured (Security:OperatorKeys): operator actions are allowed only from loopback " +
                              "clients, as operator '{Operator}'. Behind a proxy on this machine every client looks like loopback: configure keys",
                OperatorKeyHandler.LoopbackOperator);
        else
            logger.LogInformation("Operator actions need an operator key; {Count} configured for {Operators}", keyring.Names.Count(),
                keyring.Names.ToArray());
        if (options.Value.RequireKeyForReads)
            logger.LogInformation("Security:RequireKeyForReads is on: the reads and POST /orders need an operator key too");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
