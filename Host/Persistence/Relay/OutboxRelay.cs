using Microsoft.Extensions.Options;

namespace SagaEngine.Host.Persistence.Relay;

/// <summary>
/// Delivers committed outbox messages, round after round while there is work, then waits for a
/// commit (<see cref="OutboxSignal"/>) or the poll interval. Clean-up runs between rounds.
/// </summary>
public class OutboxRelay(
    IServiceScopeFactory scopes, OutboxSignal signal, OutboxMetrics metrics, IOptions<OutboxOptions> options,
    IHostApplicationLifetime lifetime, TimeProvider clock, ILogger<OutboxRelay> logger)
    : BackgroundService
{
    DateTimeOffset _nextDueLookup = DateTimeOffset.MinValue;
    DateTime? _knownNextDue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.RelayEnabled)
        {
            logger.LogWarning("The outbox relay is disabled ({Setting} is false): committed messages stay pending",
                $"{OutboxOptions.Section}:{nameof(OutboxOptions.RelayEnabled)}");
            return;
        }

        // The transport (the bus) starts with the host; deliver only once it is up.
        if (!await Started(stoppingToken))
            return;

        var nextCleanup = clock.GetUtcNow();
        var nextPendingCount = clock.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            var (delivered, full) = await Round(settings.BatchSize, stoppingToken);
            metrics.RecordDelivered(delivered);

            if (clock.GetUtcNow() >= nextPendingCount)
            {
                await CountPending(stoppingToken);
                nextPendingCount = clock.GetUtcNow() + OutboxMetrics.PendingCountInterval;
            }

            if (clock.GetUtcNow() >= nextCleanup)
            {
                await Cleanup(settings, stoppingToken);
                nextCleanup = clock.GetUtcNow() + settings.CleanupInterval;
            }

            if (!full)
                await Wait(await UntilNextWake(settings.PollInterval, stoppingToken), stoppingToken);
        }
    }

    async Task<(int, bool)> Round(int batchSize, CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<OutboxDeliveryRound>().Run(batchSize, stoppingToken);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            // The database may be away for a moment; the next round tries again.
            logger.LogError(e, "Outbox relay round failed");
            return (0, false);
        }
    }

    /// <summary>
    /// The poll interval, or less when a scheduled message falls due sooner. The database is asked for the
    /// next due time at most once a poll interval (a busy relay waits after nearly every round); what this
    /// process schedules meanwhile it learns from <see cref="OutboxSignal.Scheduled"/>, and what other
    /// processes schedule it finds at the next lookup, as it did when it polled.
    /// </summary>
    async Task<TimeSpan> UntilNextWake(TimeSpan pollInterval, CancellationToken stoppingToken)
    {
        try
        {
            var now = clock.GetUtcNow();
            // Once the known next due time has passed, its round has run: what falls due after it is looked up.
            if (now >= _nextDueLookup || _knownNextDue <= now.UtcDateTime)
            {
                await using var scope = scopes.CreateAsyncScope();
                _knownNextDue = await scope.ServiceProvider.GetRequiredService<OutboxNextDue>().Find(stoppingToken);
                _nextDueLookup = now + pollInterval;
            }
            // Written by this process, perhaps not committed yet (then the round it causes finds nothing due).
            if (signal.TakeEarliestScheduled() is { } scheduled && !(_knownNextDue <= scheduled))
                _knownNextDue = scheduled;
            if (_knownNextDue is not { } due)
                return pollInterval;
            // A little after it is due, so that the next round's clock sees it due.
            var untilDue = due - clock.GetUtcNow().UtcDateTime + TimeSpan.FromMilliseconds(5);
            return untilDue < pollInterval ? (untilDue > TimeSpan.Zero ? untilDue : TimeSpan.Zero) : pollInterval;
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogError(e, "Outbox relay could not look up the next scheduled message");
            return pollInterval;
        }
    }

    async Task CountPending(CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            metrics.RecordPending(await scope.ServiceProvider.GetRequiredService<OutboxPendingCount>().Count(stoppingToken));
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            // The gauge keeps its last count; the next interval tries again.
            logger.LogWarning(e, "Outbox relay could not count the pending messages");
        }
    }

    async Task Cleanup(OutboxOptions settings, CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<OutboxCleanup>().Run(settings, stoppingToken);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogError(e, "Outbox clean-up failed");
        }
    }

    async Task Wait(TimeSpan pollInterval, CancellationToken stoppingToken)
    {
        try
        {
            await signal.WaitAsync(pollInterval, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    async Task<bool> Started(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        await using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await using var onStopping = stoppingToken.Register(() => started.TrySetCanceled());
        try
        {
            await started.Task;
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
