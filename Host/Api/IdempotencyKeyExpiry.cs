using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace SagaEngine.Host.Api;

/// <summary>Forgets idempotency keys older than their retention, so the intake table does not hold them forever.</summary>
public class IdempotencyKeyExpiry(IServiceScopeFactory scopes, IOptions<IntakeOptions> options, TimeProvider clock,
    ILogger<IdempotencyKeyExpiry> logger) : BackgroundService
{
    static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var cutoff = clock.GetUtcNow().UtcDateTime - options.Value.IdempotencyKeyRetention;
                await scope.ServiceProvider.GetRequiredService<DbContext>().Set<OrderIntake>()
                    .Where(i => i.IdempotencyKey != null && i.SubmittedAt < cutoff)
                    .ExecuteUpdateAsync(i => i.SetProperty(x => x.IdempotencyKey, (string?)null).SetProperty(x => x.RequestHash, (string?)null),
                        stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Expiring idempotency keys failed; trying again in {Interval}", Interval);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
