using SagaEngine.Bench.Peer;

namespace SagaEngine.Tests.Bench;

/// <summary>What --compare-peer reads from the Wolverine peer's output.</summary>
public class PeerOutput_Specs
{
    [Fact]
    public void Should_read_the_peers_result_and_its_own_verification()
    {
        var output = PeerOutput.Parse([
            "config: orders=3000 concurrency=64",
            "warmup: 200/200 terminal in 9.1s",
            "VERIFY ok=true submitted_total=3200 sagas=3200 db_confirmed=2869 expected_confirmed=2869 db_cancelled=331 non_terminal=0 ledger_rows=2869 signals=3200",
            "RESULT orders=3000 seconds=21.90 orders_per_s=137.0 p50_ms=445.0 p95_ms=629.8 p99_ms=714.5 max_ms=867.2 confirmed=2690 cancelled=310 lost=0"
        ]);

        Assert.Equal(new PeerOutput(137.0, 445.0, 629.8, 714.5, 867.2, 3000, 0, true), output);
        Assert.True(output.Passed);
    }

    [Fact]
    public void Should_fail_a_peer_run_that_lost_orders_failed_its_verification_or_printed_no_result()
    {
        Assert.False(PeerOutput.Parse(["VERIFY ok=true", "RESULT orders=10 orders_per_s=5.0 lost=1"]).Passed);
        Assert.False(PeerOutput.Parse(["VERIFY ok=false", "RESULT orders=10 orders_per_s=5.0 lost=0"]).Passed);
        Assert.False(PeerOutput.Parse(["host started"]).Passed);
    }

    [Fact]
    public void Should_compare_medians_as_ours_over_the_peers()
    {
        var figure = new ComparedFigure("orders/s completed", 120, 60, "0.0");

        Assert.Equal(2.0, figure.Ratio);
        Assert.Null(new ComparedFigure("x", 1, null, "0").Ratio);
    }
}
