using System.Globalization;
using SagaEngine.Bench.Figures;
using SagaEngine.Bench.Machine;
using SagaEngine.Bench.Metrics;
using SagaEngine.Bench.Peer;

namespace SagaEngine.Bench.Reporting;

/// <summary>
/// The only place that writes for a person to read: the report on standard output, progress and
/// errors on standard error, so the report can be piped or saved on its own.
/// </summary>
public sealed class ReportWriter(TextWriter output, TextWriter diagnostics) : IProgress<string>
{
    const string NotAvailable = "n/a";

    public void Report(string value) => diagnostics.WriteLine($"[bench] {value}");

    public void Error(string message) => diagnostics.WriteLine($"bench: {message}");

    public void Help(string text) => output.WriteLine(text);

    public void Header(MachineInfo machine, SettingsSummary settings)
    {
        output.WriteLine("SagaEngine benchmark");
        output.WriteLine($"  machine   {machine.CpuModel}, {machine.Cores} cores, {machine.MemoryGiB:0.#} GiB");
        output.WriteLine($"  os        {machine.OperatingSystem}");
        output.WriteLine($"  .NET      {machine.DotNet}");
        var load = settings.Rate is { } rate
            ? $"{rate:0.##} orders/s offered (open loop)"
            : $"as fast as possible, {settings.Concurrency} orders in flight (closed loop)";
        output.WriteLine($"  load      {load}; {settings.WarmupSeconds:0.#} s warm-up, {settings.DurationSeconds:0.#} s measured, " +
                         $"drain up to {settings.DrainTimeoutSeconds:0.#} s, {settings.Runs} run(s)");
        output.WriteLine($"  mix       {settings.Mix}");
        output.WriteLine($"  target    {settings.Target}");
        if (settings.HostRevision is { } revision)
            output.WriteLine($"  host      built from commit {revision}");
        output.WriteLine();
    }

    public void Run(RunFigures run, string? keptDataDirectory)
    {
        output.WriteLine($"Run {run.Run}: {(run.Passed ? "PASSED" : "FAILED")}");
        var width = FigureRows.All.Max(r => r.Label.Length);
        foreach (var row in FigureRows.All)
            output.WriteLine($"  {row.Label.PadRight(width)}  {Format(row.Value(run), row.Format)}");
        WriteSeries(run);
        WriteWarmup(run);
        if (run.ExceptionTypes.Count > 0)
            output.WriteLine($"  (exceptions thrown: {string.Join(", ", run.ExceptionTypes.Select(e => $"{e.Type} {e.Count:0}"))})");
        WriteVerification(run);
        if (keptDataDirectory is not null)
            output.WriteLine($"  host data and log kept in {keptDataDirectory}");
        output.WriteLine();
    }

    public void Summary(BenchResult result)
    {
        var runs = result.Runs;
        output.WriteLine(runs.Count == 1 ? "Summary" : $"Summary: median of {runs.Count} runs");
        var headers = runs.Select(r => $"run {r.Run}").Append("median").ToList();
        var labelWidth = FigureRows.All.Max(r => r.Label.Length);
        var cells = FigureRows.All
            .Select(row => runs.Select(r => Format(row.Value(r), row.Format)).Append(Format(result.Medians[row.Key], row.Format)).ToList())
            .ToList();
        var columnWidth = Math.Max(headers.Max(h => h.Length), cells.SelectMany(c => c).Max(c => c.Length));

        output.WriteLine($"  {"".PadRight(labelWidth)}  {string.Join("  ", headers.Select(h => h.PadLeft(columnWidth)))}");
        for (var i = 0; i < FigureRows.All.Count; i++)
            output.WriteLine($"  {FigureRows.All[i].Label.PadRight(labelWidth)}  {string.Join("  ", cells[i].Select(c => c.PadLeft(columnWidth)))}");
        output.WriteLine();
        output.WriteLine(result.Passed
            ? "Result: PASSED: every order ended as planned, stock and ledger balance."
            : "Result: FAILED: see the failures above; the figures of a failed run are not a record.");
    }

    public void PeerRun(PeerRunFigures run)
    {
        var o = run.Output;
        output.WriteLine($"Peer run {run.Run}: {(run.Passed ? "PASSED" : "FAILED")} (its own verification: {(o.Verified is { } v ? v ? "ok" : "failed" : "n/a")}, " +
                         $"lost {Format(o.Lost, "0")}, exit code {run.ExitCode})");
        output.WriteLine($"  orders/s completed {Format(o.OrdersPerSecond, "0.0")}; submit-to-terminal p50/p95/p99/max " +
                         $"{Format(o.P50Ms, "0.0")} / {Format(o.P95Ms, "0.0")} / {Format(o.P99Ms, "0.0")} / {Format(o.MaxMs, "0.0")} ms; " +
                         $"process CPU per order {Format(run.CpuMsPerOrder, "0.00")} ms");
        if (!run.Passed)
            foreach (var line in run.LastLines)
                output.WriteLine($"    | {line}");
        output.WriteLine();
    }

    /// <summary>Both systems' medians side by side, and ours over the peer's.</summary>
    public void Comparison(BenchResult result)
    {
        var peer = result.Peer!;
        output.WriteLine($"Compared with the Wolverine peer ({peer.Runs.Count} run(s): run.sh {string.Join(' ', peer.Arguments)}), medians");
        var figures = peer.Against(result.Runs);
        var width = figures.Max(f => f.Label.Length);
        output.WriteLine($"  {"".PadRight(width)}  {"SagaEngine",12}  {"Wolverine",12}  {"ratio",8}");
        foreach (var f in figures)
            output.WriteLine($"  {f.Label.PadRight(width)}  {Format(f.Ours, f.Format),12}  {Format(f.Peer, f.Format),12}  {Format(f.Ratio, "0.00"),8}");
        var pairs = peer.PairRatios(result.Runs);
        output.WriteLine($"  orders/s ratio run by run (each of ours over the peer's run right after it): " +
                         $"{string.Join(", ", pairs.Select(r => Format(r, "0.00")))}; median {Format(Percentiles.Median(pairs), "0.00")}");
        output.WriteLine("  (process CPU: our host's, from its /metrics; the peer's process, which holds its load driver, from /proc;");
        output.WriteLine("   PostgreSQL's CPU is in neither. The peer submits in-process, we over HTTP.)");
        output.WriteLine();
        output.WriteLine(peer.Passed
            ? "Peer: PASSED: its own verification held in every run."
            : "Peer: FAILED: see its runs above; the comparison is not a record.");
    }

    /// <summary>Which host series the metric figures came from, so they can be traced and compared.</summary>
    void WriteSeries(RunFigures run)
    {
        var series = new[]
            {
                run.RelayDelayP50Ms, run.RelayDelayP99Ms, run.DbTransactionsPerOrder, run.DbRoundTripsPerOrder, run.CpuMsPerOrder,
                run.ExceptionsPerOrder, run.JitMethodsPerSecond, run.AllocatedKiBPerOrder
            }
            .OfType<MetricFigure>().Select(f => f.Series).Distinct().ToList();
        output.WriteLine(series.Count == 0
            ? $"  (host metrics: none of {string.Join(", ", HostMetricNames.All)} at /metrics)"
            : $"  (host metrics from {string.Join(", ", series)})");
    }

    /// <summary>Whether the warm-up waited for the host's JIT to settle, and whether it did.</summary>
    void WriteWarmup(RunFigures run)
    {
        if (run.Warmup is not { } warmup)
            return;
        var jit = warmup.JitMethodsPerSecond is { } rate
            ? $"{rate:0.#} methods/s JIT-compiled {(warmup.Settled is null ? "over it" : "in its last step")}"
            : "the host's JIT rate unknown";
        output.WriteLine(warmup.Settled switch
        {
            true => $"  (warm-up {warmup.Seconds:0} s, until the JIT settled: {jit})",
            false => $"  (warm-up {warmup.Seconds:0} s, stopped at its maximum before the JIT settled: {jit})",
            null => $"  (warm-up {warmup.Seconds:0} s, fixed length: {jit})"
        });
    }

    void WriteVerification(RunFigures run)
    {
        var verification = run.Verification;
        if (!run.Drained)
            output.WriteLine("  NOT DRAINED: some orders did not end within the drain timeout");
        if (verification.Passed)
        {
            output.WriteLine($"  correctness: {verification.OrdersChecked} orders checked: each ended as planned; stock and ledger balance");
            return;
        }
        output.WriteLine($"  correctness: {verification.OrdersChecked} orders checked, failures:");
        foreach (var failure in verification.Failures)
        {
            output.WriteLine($"    {failure.Name}: {failure.Count} ({failure.Description})");
            foreach (var example in failure.Examples)
                output.WriteLine($"      e.g. {example}");
        }
    }

    static string Format(double? value, string format) =>
        value is { } v && double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : NotAvailable;
}
