using SagaEngine.Bench.Hosting;
using SagaEngine.Bench.Machine;
using SagaEngine.Bench.Metrics;

namespace SagaEngine.Tests.Bench;

/// <summary>What the benchmark reads from outside the host: /proc and Prometheus text.</summary>
public class HostReadings_Specs
{
    [Fact]
    public void Should_read_user_plus_system_cpu_time_even_when_the_command_name_has_spaces_and_parentheses()
    {
        const string stat = "4242 (dotnet (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 150 0 0 20 0 30 0 123 456 789";

        Assert.Equal(TimeSpan.FromSeconds(4), ProcessUsage.CpuTimeFromStat(stat, ticksPerSecond: 100));
    }

    [Fact]
    public void Should_read_peak_resident_memory_in_bytes()
    {
        Assert.Equal(204_800L * 1024, ProcessUsage.PeakResidentFromStatus("Name:\tdotnet\nVmPeak:\t 999 kB\nVmHWM:\t  204800 kB\nVmRSS:\t 1 kB\n"));
    }

    [Fact]
    public void Should_sum_a_counter_over_its_label_sets_and_report_an_absent_one_as_absent()
    {
        var text = PrometheusText.Parse("""
            # TYPE sagaengine_db_transactions_total counter
            sagaengine_db_transactions_total{kind="saga",otel_scope_name="x"} 30 1700000000000
            sagaengine_db_transactions_total{kind="label with } and \" inside"} 12
            """);

        Assert.Equal(42, text.Total("sagaengine_db_transactions_total"));
        Assert.Null(text.Total("sagaengine_outbox_relay_delay_seconds"));
    }

    [Fact]
    public void Should_estimate_quantiles_of_the_window_between_two_scrapes()
    {
        var before = PrometheusText.Parse("""
            d_bucket{le="0.01"} 100
            d_bucket{le="0.1"} 100
            d_bucket{le="+Inf"} 100
            """);
        var after = PrometheusText.Parse("""
            d_bucket{le="0.01"} 150
            d_bucket{le="0.1"} 200
            d_bucket{le="+Inf"} 200
            """);

        var window = after.Histogram("d")!.Since(before.Histogram("d"));

        Assert.Equal(100, window.Count);
        Assert.Equal(0.005, window.Quantile(0.25)!.Value, precision: 9);
        Assert.Equal(0.082, window.Quantile(0.90)!.Value, precision: 9);
    }

    [Fact]
    public void Should_report_host_metrics_as_absent_when_the_host_does_not_expose_them()
    {
        var window = HostMetricsWindow.Between(PrometheusText.Empty, PrometheusText.Parse("other_total 5"), ordersEnded: 10);

        Assert.Equal((null, null, null), (window.RelayDelayP50Ms, window.RelayDelayP99Ms, window.DbTransactionsPerOrder));
    }

    [Fact]
    public void Should_divide_the_transactions_of_the_window_by_the_orders_that_ended_in_it()
    {
        var window = HostMetricsWindow.Between(PrometheusText.Parse("sagaengine_db_transactions_total 100"),
            PrometheusText.Parse("sagaengine_db_transactions_total 130"), ordersEnded: 10);

        Assert.Equal(new MetricFigure(3, "sagaengine_db_transactions_total"), window.DbTransactionsPerOrder);
    }

    [Fact]
    public void Should_count_idle_and_iowait_as_not_busy_when_reading_the_whole_machine()
    {
        var before = MachineCpuSample.Parse("cpu  100 0 100 700 100 0 0 0 0 0");
        var after = MachineCpuSample.Parse("cpu  250 0 150 1250 150 0 0 0 0 0");

        Assert.Equal(25.0, MachineCpuSample.BusyPercentBetween(before, after));
    }
}
