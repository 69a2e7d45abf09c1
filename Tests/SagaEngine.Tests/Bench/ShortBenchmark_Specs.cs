using SagaEngine.Bench;
using SagaEngine.Bench.Options;
using SagaEngine.Bench.Orders;
using SagaEngine.Bench.Verification;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Bench;

/// <summary>Stocked as the benchmark stocks a host it starts, so the short form runs the default mix over the default SKUs.</summary>
public class ShortBenchmarkHost : SagaEngineFactory
{
    public ShortBenchmarkHost()
    {
        foreach (var sku in BenchSkus.Stocked(BenchSkus.DefaultStockedCount))
            With($"Inventory:InitialStock:{sku}", BenchSkus.StockedQuantity.ToString());
    }
}

/// <summary>A host whose payment limit declines every order: outcomes the benchmark did not plan.</summary>
public class DecliningHost : ShortBenchmarkHost
{
    public DecliningHost() => With("Payment:MaxAmount", "1");
}

/// <summary>
/// The benchmark's short form for CI: its own load, drain and verification against a real host for a
/// few seconds at a low rate. Only correctness is asserted; a timed test would fail on a busy machine
/// for reasons that say nothing about the engine.
/// </summary>
public class ShortBenchmark_Specs(ShortBenchmarkHost host) : IClassFixture<ShortBenchmarkHost>
{
    static readonly BenchOptions Short = new()
    {
        Warmup = TimeSpan.FromSeconds(1),
        // A fixed warm-up: how soon a test host's JIT settles is no business of a correctness check.
        WarmupJitPerSecond = null,
        Duration = TimeSpan.FromSeconds(3),
        DrainTimeout = TimeSpan.FromSeconds(60),
        PollInterval = TimeSpan.FromMilliseconds(100),
        Runs = 1
    };

    [Fact]
    public async Task Should_end_every_order_offered_at_a_fixed_rate_as_planned_with_stock_and_ledger_balanced()
    {
        var options = Short with { Mode = LoadMode.FixedRate, Rate = 20 };

        var run = await new BenchmarkRun(options, host.CreateClient(), hostProcessId: null).ExecuteAsync(1, CancellationToken.None);

        AssertCorrect(run);
        Assert.Equal(60, run.Offered);
        Assert.Equal(80, run.Verification.OrdersChecked);
    }

    [Fact]
    public async Task Should_end_every_order_of_a_closed_loop_as_planned_with_stock_and_ledger_balanced()
    {
        var options = Short with { Mode = LoadMode.MaxThroughput, Concurrency = 4 };

        var run = await new BenchmarkRun(options, host.CreateClient(), hostProcessId: null).ExecuteAsync(1, CancellationToken.None);

        AssertCorrect(run);
    }

    [Fact]
    public async Task Should_fail_a_run_whose_orders_did_not_end_as_planned()
    {
        await using var declining = new DecliningHost();
        var options = Short with { Mode = LoadMode.FixedRate, Rate = 20, Warmup = TimeSpan.Zero, Duration = TimeSpan.FromSeconds(1) };

        var run = await new BenchmarkRun(options, declining.CreateClient(), hostProcessId: null).ExecuteAsync(1, CancellationToken.None);

        Assert.False(run.Passed);
        // Every order the plan confirms was declined for its amount instead.
        Assert.Equal(16, run.Verification.CountOf(FailureClasses.WrongState));
        Assert.Equal(0, run.Verification.CountOf(FailureClasses.Lost));
    }

    static void AssertCorrect(SagaEngine.Bench.Figures.RunFigures run)
    {
        Assert.True(run.Drained, "Some orders did not end within the drain timeout.");
        Assert.True(run.Verification.Passed,
            string.Join("; ", run.Verification.Failures.Select(f => $"{f.Name} x{f.Count}: {string.Join(", ", f.Examples)}")));
        Assert.True(run.Offered > 0);
        Assert.Equal(run.Offered, run.Completed);
    }
}
