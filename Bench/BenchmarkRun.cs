using System.Collections.Concurrent;
using System.Diagnostics;
using SagaEngine.Bench.Api;
using SagaEngine.Bench.Figures;
using SagaEngine.Bench.Hosting;
using SagaEngine.Bench.Load;
using SagaEngine.Bench.Machine;
using SagaEngine.Bench.Metrics;
using SagaEngine.Bench.Options;
using SagaEngine.Bench.Orders;
using SagaEngine.Bench.Verification;

namespace SagaEngine.Bench;

/// <summary>
/// One run against one host, in phases: read stock; warm up and let the warm-up orders end; offer the
/// measured load; drain until every order ended or the timeout; then read every order, its ledger
/// entries and the stock back, and check them. The host is reached over HTTP only.
/// </summary>
public sealed class BenchmarkRun(BenchOptions options, HttpClient http, int? hostProcessId, IProgress<string>? progress = null)
{
    /// <summary>Reads of the verification phase at once: enough to be quick, few enough not to starve a 2-core host.</summary>
    const int VerificationParallelism = 8;

    readonly SagaEngineClient _client = new(http);

    public async Task<RunFigures> ExecuteAsync(int runNumber, CancellationToken cancellationToken)
    {
        var stockBefore = await ReadStockAsync(cancellationToken);
        var planner = OrderPlanner.For(options.Mix, BenchSkus.Stocked(options.Skus), stockBefore);
        using var tracker = new CompletionTracker(_client, options.PollInterval, MaxPollsPerSecond());
        var log = new SubmissionLog();
        var driver = CreateDriver(new OrderSubmitter(_client, planner, log, tracker));

        WarmupOutcome? warmup = null;
        if (options.Warmup > TimeSpan.Zero)
        {
            warmup = await new WarmupPhase(options, driver, ScrapeAsync, progress).RunAsync(runNumber, cancellationToken);
            // Letting the warm-up orders end first keeps their work out of the measured window and its metrics.
            await tracker.WaitForAsync(AcceptedIds(log.In(RunPhase.Warmup)), options.DrainTimeout);
        }

        var metricsBefore = await ScrapeAsync(cancellationToken);
        var window = Stopwatch.StartNew();
        var cpuBefore = SampleCpu(window.Elapsed);
        var machineBefore = MachineCpuSample.Read();
        var clientBefore = Process.GetCurrentProcess().TotalProcessorTime;

        progress?.Report($"run {runNumber}: measuring {options.Duration.TotalSeconds:0.#} s");
        var offering = await driver.OfferAsync(RunPhase.Measured, options.Duration, cancellationToken);

        var drainStarted = window.Elapsed;
        progress?.Report($"run {runNumber}: draining ({tracker.Outstanding} orders outstanding)");
        var drained = await tracker.WaitForAsync(AcceptedIds(log.All), options.DrainTimeout);
        var drainTime = window.Elapsed - drainStarted;
        tracker.Stop();

        var cpuAfter = SampleCpu(window.Elapsed);
        var machineAfter = MachineCpuSample.Read();
        var clientCpu = Process.GetCurrentProcess().TotalProcessorTime - clientBefore;
        var windowLength = window.Elapsed;
        var peakMemory = hostProcessId is { } pid ? ProcessUsage.PeakResidentBytes(pid) : null;
        var metricsAfter = await ScrapeAsync(cancellationToken);

        progress?.Report($"run {runNumber}: verifying {log.All.Count} orders");
        var submitted = log.All;
        var orders = await ReadOrdersAsync(AcceptedIds(submitted), cancellationToken);
        var ledger = await ReadLedgerAsync(AcceptedIds(submitted), cancellationToken);
        var stockAfter = await ReadStockAsync(cancellationToken);
        var verification = new CorrectnessChecker().Check(new VerificationInput(submitted, orders, ledger, stockBefore, stockAfter));

        var measured = log.In(RunPhase.Measured);
        var completed = measured.Count(o => o.Outcome.OrderId is { } id && orders.GetValueOrDefault(id) is { HasEnded: true });
        var timings = OrderTimings.Of(measured, orders);
        var posts = measured.Select(o => o.Outcome.Elapsed.TotalMilliseconds).Order().ToList();
        var hostMetrics = HostMetricsWindow.Between(metricsBefore, metricsAfter, completed, windowLength);
        var cpu = CpuShare(cpuBefore, cpuAfter);

        return new RunFigures
        {
            Run = runNumber,
            WarmupOrders = submitted.Count - measured.Count,
            Offered = offering.Offered,
            Accepted = measured.Count(o => o.Outcome.Accepted),
            Completed = completed,
            OrdersPerSecond = timings.OrdersPerSecond,
            LatencyP50Ms = timings.P50Ms,
            LatencyP95Ms = timings.P95Ms,
            LatencyP99Ms = timings.P99Ms,
            LatencyMaxMs = timings.MaxMs,
            PostP50Ms = Percentiles.Of(posts, 0.50),
            PostP99Ms = Percentiles.Of(posts, 0.99),
            RelayDelayP50Ms = hostMetrics.RelayDelayP50Ms,
            RelayDelayP99Ms = hostMetrics.RelayDelayP99Ms,
            DbTransactionsPerOrder = hostMetrics.DbTransactionsPerOrder,
            DbRoundTripsPerOrder = hostMetrics.DbRoundTripsPerOrder,
            CpuMsPerOrder = hostMetrics.CpuMsPerOrder,
            ExceptionsPerOrder = hostMetrics.ExceptionsPerOrder,
            ExceptionTypes = hostMetrics.ExceptionTypes.Select(e => new ExceptionCount(e.Type, e.Count)).ToList(),
            JitMethodsPerSecond = hostMetrics.JitMethodsPerSecond,
            AllocatedKiBPerOrder = hostMetrics.AllocatedKiBPerOrder,
            Warmup = warmup,
            CpuPercentOfOneCore = cpu,
            CpuPercentOfAllCores = cpu / Environment.ProcessorCount,
            PeakMemoryMiB = peakMemory / (1024.0 * 1024.0),
            ClientCpuPercentOfOneCore = clientCpu / windowLength * 100,
            MachineCpuBusyPercent = MachineCpuSample.BusyPercentBetween(machineBefore, machineAfter),
            MaxScheduleLagMs = offering.MaxScheduleLag.TotalMilliseconds,
            Drained = drained,
            DrainSeconds = drainTime.TotalSeconds,
            PollsPerOrder = submitted.Count == 0 ? 0 : (double)tracker.Polls / submitted.Count,
            Verification = verification
        };
    }

    /// <summary>
    /// Enough to start each order's long poll without delay at the pace orders are offered, and to
    /// re-ask about each about once per poll interval when waits run out: twice the offered rate open
    /// loop; the concurrency per poll interval closed loop.
    /// </summary>
    double MaxPollsPerSecond() => Math.Max(50, options.Mode == LoadMode.FixedRate
        ? 2 * options.Rate
        : options.Concurrency / options.PollInterval.TotalSeconds);

    ILoadDriver CreateDriver(OrderSubmitter submitter) => options.Mode switch
    {
        LoadMode.FixedRate => new FixedRateDriver(submitter, options.Rate),
        _ => new ClosedLoopDriver(submitter, options.Concurrency, options.PollInterval)
    };

    static List<Guid> AcceptedIds(IEnumerable<SubmittedOrder> orders) =>
        orders.Select(o => o.Outcome.OrderId).OfType<Guid>().Distinct().ToList();

    async Task<Dictionary<string, StockLevel?>> ReadStockAsync(CancellationToken cancellationToken)
    {
        var stock = new Dictionary<string, StockLevel?>();
        foreach (var sku in BenchSkus.All(options.Skus))
            stock[sku] = await _client.GetStockAsync(sku, cancellationToken);
        return stock;
    }

    async Task<IReadOnlyDictionary<Guid, ObservedOrder?>> ReadOrdersAsync(IReadOnlyList<Guid> ids, CancellationToken cancellationToken)
    {
        var orders = new ConcurrentDictionary<Guid, ObservedOrder?>();
        await Parallel.ForEachAsync(ids, Parallelism(cancellationToken),
            async (id, ct) => orders[id] = await _client.GetOrderAsync(id, ct));
        return orders;
    }

    async Task<IReadOnlyDictionary<Guid, IReadOnlyList<LedgerEntry>>> ReadLedgerAsync(IReadOnlyList<Guid> ids, CancellationToken cancellationToken)
    {
        var ledger = new ConcurrentDictionary<Guid, IReadOnlyList<LedgerEntry>>();
        await Parallel.ForEachAsync(ids, Parallelism(cancellationToken),
            async (id, ct) => ledger[id] = await _client.GetPaymentsAsync(id, ct));
        return ledger;
    }

    static ParallelOptions Parallelism(CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = VerificationParallelism, CancellationToken = cancellationToken };

    async Task<PrometheusText> ScrapeAsync(CancellationToken cancellationToken) =>
        await _client.GetMetricsTextAsync(cancellationToken) is { } text ? PrometheusText.Parse(text) : PrometheusText.Empty;

    CpuSample? SampleCpu(TimeSpan wallClock) => hostProcessId is { } pid ? ProcessUsage.SampleCpu(pid, wallClock) : null;

    /// <summary>CPU time over wall time in the measured window, as a percentage of one core.</summary>
    static double? CpuShare(CpuSample? before, CpuSample? after) =>
        before is null || after is null || after.WallClock <= before.WallClock
            ? null
            : (after.CpuTime - before.CpuTime) / (after.WallClock - before.WallClock) * 100;
}
