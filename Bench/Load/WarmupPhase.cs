using System.Diagnostics;
using SagaEngine.Bench.Figures;
using SagaEngine.Bench.Metrics;
using SagaEngine.Bench.Options;

namespace SagaEngine.Bench.Load;

/// <summary>
/// Offers warm-up orders for at least the warm-up time, then, when asked to, until the host's JIT has
/// settled: on two busy cores tiered compilation keeps recompiling for minutes, and a window measured
/// before it calms down measures the JIT rather than the engine. The JIT rate is the host's own
/// (<see cref="HostMetricNames.JitCompiledMethods"/>), read every step. It has settled only after
/// <see cref="QuietStepsToSettle"/> quiet steps in a row: with tiered PGO one quiet step was sometimes a lull between
/// two bursts of tier-up, and the measured window then compiled 10-23 methods/s.
/// </summary>
public sealed class WarmupPhase(BenchOptions options, ILoadDriver driver, Func<CancellationToken, Task<PrometheusText>> scrape,
    IProgress<string>? progress)
{
    public const int QuietStepsToSettle = 2;

    public async Task<WarmupOutcome> RunAsync(int runNumber, CancellationToken cancellationToken)
    {
        var settle = options.WarmupJitPerSecond;
        progress?.Report(settle is { } target
            ? $"run {runNumber}: warm-up at least {options.Warmup.TotalSeconds:0.#} s, then until the host JIT-compiles at most " +
              $"{target:0.#} methods/s (at most {options.WarmupMax.TotalSeconds:0.#} s)"
            : $"run {runNumber}: warm-up {options.Warmup.TotalSeconds:0.#} s");

        var clock = Stopwatch.StartNew();
        var previous = (Text: await scrape(cancellationToken), At: clock.Elapsed);
        if (settle is not { } limit)
        {
            // A fixed warm-up offers exactly what the same duration of measuring would.
            await driver.OfferAsync(RunPhase.Warmup, options.Warmup, cancellationToken);
            var rateOverIt = JitRate(previous.Text, await scrape(cancellationToken), clock.Elapsed - previous.At);
            return new WarmupOutcome(clock.Elapsed.TotalSeconds, rateOverIt, null);
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var offering = driver.OfferUntilAsync(RunPhase.Warmup, stop.Token, cancellationToken);
        double? rate = null;
        bool? settled = null;
        var quietSteps = 0;
        try
        {
            while (true)
            {
                await Task.Delay(options.WarmupStep, cancellationToken);
                var now = (Text: await scrape(cancellationToken), At: clock.Elapsed);
                rate = JitRate(previous.Text, now.Text, now.At - previous.At);
                previous = now;
                quietSteps = rate <= limit ? quietSteps + 1 : 0;
                if (clock.Elapsed < options.Warmup)
                    continue;
                // A host that does not say how much it compiles cannot be waited for: the minimum is all it gets.
                if (rate is null)
                    break;
                if (quietSteps >= QuietStepsToSettle)
                {
                    settled = true;
                    break;
                }
                if (clock.Elapsed >= options.WarmupMax)
                {
                    settled = false;
                    break;
                }
                progress?.Report($"run {runNumber}: warm-up {clock.Elapsed.TotalSeconds:0} s, host JIT {rate:0} methods/s");
            }
            return new WarmupOutcome(clock.Elapsed.TotalSeconds, rate, settled);
        }
        finally
        {
            await stop.CancelAsync();
            await offering;
        }
    }

    static double? JitRate(PrometheusText before, PrometheusText after, TimeSpan between) =>
        HostMetricsWindow.Between(before, after, ordersEnded: 0, between).JitMethodsPerSecond?.Value;
}
