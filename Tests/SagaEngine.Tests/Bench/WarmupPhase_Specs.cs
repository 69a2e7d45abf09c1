using SagaEngine.Bench.Load;
using SagaEngine.Bench.Metrics;
using SagaEngine.Bench.Options;

namespace SagaEngine.Tests.Bench;

/// <summary>The warm-up waits for the host's JIT to settle: quiet steps in a row, not one lull between two bursts.</summary>
public class WarmupPhase_Specs
{
    static readonly BenchOptions Options = new()
    {
        Warmup = TimeSpan.Zero, WarmupStep = TimeSpan.FromMilliseconds(20), WarmupMax = TimeSpan.FromSeconds(30), WarmupJitPerSecond = 10
    };

    [Fact]
    public async Task Should_settle_only_after_two_quiet_steps_in_a_row()
    {
        // Compiled-method totals at each scrape: a burst, a lull, a burst, then quiet.
        var scrapes = new JitScrapes(0, 100_000, 100_000, 200_000, 200_000, 200_000);

        var outcome = await new WarmupPhase(Options, new OfferingUntilStopped(), scrapes.Next, null).RunAsync(1, CancellationToken.None);

        Assert.True(outcome.Settled);
        Assert.Equal(6, scrapes.Taken);
    }

    [Fact]
    public async Task Should_not_call_a_host_settled_whose_quiet_steps_never_come_two_in_a_row()
    {
        var options = Options with { WarmupMax = TimeSpan.FromMilliseconds(400) };
        var totals = new List<long> { 0 };
        for (var i = 1; i < 1_000; i++)
            totals.Add(totals[^1] + (i % 2 == 1 ? 100_000 : 0));
        var scrapes = new JitScrapes([.. totals]);

        var outcome = await new WarmupPhase(options, new OfferingUntilStopped(), scrapes.Next, null).RunAsync(1, CancellationToken.None);

        Assert.False(outcome.Settled);
    }

    sealed class JitScrapes(params long[] totals)
    {
        public int Taken { get; private set; }

        public Task<PrometheusText> Next(CancellationToken _) =>
            Task.FromResult(PrometheusText.Parse($"{HostMetricNames.JitCompiledMethods[0]} {totals[Math.Min(Taken++, totals.Length - 1)]}\n"));
    }

    sealed class OfferingUntilStopped : ILoadDriver
    {
        public Task<OfferingStats> OfferAsync(RunPhase phase, TimeSpan duration, CancellationToken cancellationToken) =>
            throw new NotSupportedException("The warm-up that waits for the JIT offers until it is stopped.");

        public async Task<OfferingStats> OfferUntilAsync(RunPhase phase, CancellationToken until, CancellationToken cancellationToken)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, until);
            }
            catch (OperationCanceledException)
            {
            }
            return new OfferingStats(0, TimeSpan.Zero);
        }
    }
}
