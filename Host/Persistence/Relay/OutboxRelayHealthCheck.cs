using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace SagaEngine.Host.Persistence.Relay;

/// <summary>Not ready while committed messages wait longer than <see cref="OutboxOptions.StallAfter"/>: they are not reaching the transport.</summary>
public class OutboxRelayHealthCheck(OutboxStatusQuery status, IOptions<OutboxOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        if (!settings.RelayEnabled)
            return HealthCheckResult.Healthy($"{OutboxOptions.Section}:{nameof(OutboxOptions.RelayEnabled)} is false: this host relays nothing.");

        var now = await status.Get(cancellationToken);
        return now.OldestPendingAgeSeconds is { } age && age > settings.StallAfter.TotalSeconds
            ? HealthCheckResult.Unhealthy($"{now.Pending} outbox messages wait; the oldest for {age:0} s.")
            : HealthCheckResult.Healthy($"{now.Pending} outbox messages wait.");
    }
}
