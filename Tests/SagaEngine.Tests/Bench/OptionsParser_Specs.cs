using SagaEngine.Bench.Options;
using SagaEngine.Bench.Api;
using SagaEngine.Bench.Hosting;
using SagaEngine.Bench.Orders;
using SagaEngine.Bench.Peer;

namespace SagaEngine.Tests.Bench;

public class OptionsParser_Specs
{
    [Fact]
    public void Should_read_a_closed_loop_against_postgres()
    {
        var options = OptionsParser.Parse(["--max", "--concurrency", "32", "--duration=10", "--warmup", "0", "--runs", "5",
            "--provider", "postgres", "--connection-string", "Host=h;Database=bench_{run}", "--host-env", "Serilog__MinimumLevel__Default=Warning"]);

        Assert.Equal((LoadMode.MaxThroughput, 32, 5), (options.Mode, options.Concurrency, options.Runs));
        Assert.Equal((TimeSpan.FromSeconds(10), TimeSpan.Zero), (options.Duration, options.Warmup));
        Assert.Equal((DatabaseProvider.Postgres, "Host=h;Database=bench_{run}"), (options.Provider, options.ConnectionString));
        Assert.Equal(new KeyValuePair<string, string>("Serilog__MinimumLevel__Default", "Warning"), Assert.Single(options.HostEnvironment));
    }

    [Fact]
    public void Should_warm_up_until_the_hosts_jit_settles_unless_told_to_keep_a_fixed_warmup()
    {
        var settling = OptionsParser.Parse(["--max", "--warmup", "15", "--warmup-jit", "5", "--warmup-max", "90"]);
        var fixedLength = OptionsParser.Parse(["--max", "--warmup-jit", "0"]);

        Assert.Equal((TimeSpan.FromSeconds(15), 5.0, TimeSpan.FromSeconds(90)), (settling.Warmup, settling.WarmupJitPerSecond, settling.WarmupMax));
        Assert.Null(fixedLength.WarmupJitPerSecond);
        Assert.Equal(10.0, OptionsParser.Parse([]).WarmupJitPerSecond);
    }

    [Fact]
    public void Should_read_a_comparison_with_the_peer()
    {
        var options = OptionsParser.Parse(["--postgres", "--max", "--compare-peer", "--peer-orders", "2000", "--peer-dir", "/somewhere"]);

        Assert.Equal((true, 2000, "/somewhere"), (options.ComparePeer, options.PeerOrders, options.PeerDirectory));
        Assert.False(OptionsParser.Parse(["--max"]).ComparePeer);
    }

    [Fact]
    public void Should_read_postgres_as_a_throwaway_local_server_without_a_connection_string()
    {
        var options = OptionsParser.Parse(["--postgres", "--rate", "200"]);

        Assert.Equal((DatabaseProvider.Postgres, true, null), (options.Provider, options.StartsLocalPostgres, options.ConnectionString));
    }

    [Fact]
    public void Should_default_to_200_orders_per_second_on_sqlite_with_the_default_mix()
    {
        var options = OptionsParser.Parse([]);

        Assert.Equal((LoadMode.FixedRate, 200.0, DatabaseProvider.Sqlite), (options.Mode, options.Rate, options.Provider));
        Assert.Equal("ok=80,decline=10,out-of-stock=5,unknown-sku=5", options.Mix.ToString());
        Assert.True(options.StartsHost);
    }

    [Theory]
    [InlineData("--rate 0", "--rate")]
    [InlineData("--rate ten", "--rate")]
    [InlineData("--runs 0", "--runs")]
    [InlineData("--frobnicate", "--frobnicate")]
    [InlineData("--duration", "--duration")]
    [InlineData("--rate 10 --max", "--max")]
    [InlineData("--concurrency 8", "--concurrency")]
    [InlineData("--provider mysql", "--provider")]
    [InlineData("--provider postgres", "--connection-string")]
    [InlineData("--connection-string x", "--connection-string")]
    [InlineData("--mix ok=80,bogus=20", "bogus")]
    [InlineData("--mix ok=0", "--mix")]
    [InlineData("--host-url localhost:8080", "--host-url")]
    [InlineData("--host-url http://127.0.0.1:8080 --no-build", "--no-build")]
    [InlineData("--host-env Database__Provider=Postgres", "--host-env")]
    [InlineData("--postgres --connection-string Host=h", "--connection-string")]
    [InlineData("--postgres --provider sqlite", "--provider")]
    [InlineData("--postgres --host-url http://127.0.0.1:8080", "--host-url")]
    [InlineData("--peer-orders 100", "--compare-peer")]
    [InlineData("--peer-dir /tmp", "--compare-peer")]
    [InlineData("--warmup 60 --warmup-max 30", "--warmup-max")]
    [InlineData("--warmup-jit -1", "--warmup-jit")]
    [InlineData("--skus 0", "--skus")]
    public void Should_refuse_a_bad_command_line_naming_the_option(string commandLine, string named)
    {
        var error = Assert.Throws<OptionsException>(() => OptionsParser.Parse(commandLine.Split(' ')));

        Assert.Contains(named, error.Message);
    }

    [Fact]
    public void Should_spread_orders_over_as_many_skus_as_the_peer_and_stock_a_started_host_with_them()
    {
        var defaults = OptionsParser.Parse(["--max"]);
        var three = OptionsParser.Parse(["--max", "--skus", "3", "--compare-peer"]);

        Assert.Equal((100, 3), (defaults.Skus, three.Skus));
        Assert.Equal(["--Inventory:InitialStock:SKU-1=1000000", "--Inventory:InitialStock:SKU-2=1000000", "--Inventory:InitialStock:SKU-3=1000000"],
            HostLaunchSettings.Arguments(three));
        Assert.Equal(["--skus", "3"], WolverinePeer.Arguments(3000, 64, 200, three.Skus).TakeLast(2));
    }

    [Fact]
    public void Should_take_the_stocked_skus_in_turn()
    {
        var stocked = BenchSkus.Stocked(5);
        var stock = BenchSkus.All(5).ToDictionary(s => s, s => s == BenchSkus.Unknown ? null : (StockLevel?)new StockLevel(s, 10, 0));
        var planner = OrderPlanner.For(new OrderMix(new Dictionary<OrderKind, int> { [OrderKind.Ok] = 1 }), stocked, stock);

        Assert.Equal(stocked, Enumerable.Range(0, 5).Select(i => planner.Plan(i).Lines[0].Sku));
        Assert.Throws<SagaEngine.Bench.BenchSetupException>(() =>
            OrderPlanner.For(OrderMix.Default, BenchSkus.Stocked(6), stock));
    }

    [Fact]
    public void Should_spread_each_kind_of_the_mix_evenly_and_repeat_it_exactly()
    {
        var mix = OrderMix.Default;
        var first = Enumerable.Range(0, 20).Select(i => mix.KindOf(i)).ToList();

        Assert.Equal(16, first.Count(k => k == OrderKind.Ok));
        Assert.Equal(2, first.Count(k => k == OrderKind.Decline));
        Assert.Equal(1, first.Count(k => k == OrderKind.OutOfStock));
        Assert.Equal(1, first.Count(k => k == OrderKind.UnknownSku));
        Assert.Equal(first, Enumerable.Range(20, 20).Select(i => mix.KindOf(i)));
        // Never a run of declines: the two are half a cycle apart.
        Assert.NotEqual(1, first.LastIndexOf(OrderKind.Decline) - first.IndexOf(OrderKind.Decline));
    }
}
