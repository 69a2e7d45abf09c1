using System.Globalization;
using SagaEngine.Bench.Figures;
using SagaEngine.Bench.Hosting;
using SagaEngine.Bench.Machine;
using SagaEngine.Bench.Options;
using SagaEngine.Bench.Peer;
using SagaEngine.Bench.Reporting;

namespace SagaEngine.Bench;

/// <summary>
/// All runs of one invocation: builds the host once, then gives every run a fresh host process and a
/// fresh database (or the one host given by --host-url), and reports each run as it ends.
/// </summary>
public sealed class BenchmarkSession(BenchOptions options, ReportWriter report)
{
    BenchOptions options = options;

    /// <summary>An HTTP request that takes longer than this counts as failed; a healthy host answers in milliseconds.</summary>
    static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    public async Task<BenchResult> RunAsync(CancellationToken cancellationToken)
    {
        if (!options.StartsLocalPostgres)
            return await RunAllAsync(cancellationToken);

        report.Report("starting a throwaway PostgreSQL server (--postgres)");
        await using var postgres = await LocalPostgres.StartAsync(cancellationToken);
        report.Report($"PostgreSQL ready on 127.0.0.1:{postgres.Port} ({postgres.BinDirectory}); each run gets a database of its own");
        options = options with { ConnectionString = postgres.ConnectionString };
        return await RunAllAsync(cancellationToken);
    }

    async Task<BenchResult> RunAllAsync(CancellationToken cancellationToken)
    {
        var machine = MachineInfo.Detect();
        var root = options.StartsHost ? RepositoryRoot.Find() : null;
        var settings = SettingsSummary.Of(options, root is null ? null : SourceRevision.Of(root));
        report.Header(machine, settings);

        var entryPoint = root is null ? null : await PrepareHostAsync(root, cancellationToken);
        // One handler for the whole session: its connection pools are the load generator's sockets.
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 512,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            ConnectTimeout = TimeSpan.FromSeconds(10)
        };

        // The peer is found before any run, and runs right after each of ours: the machine's load drifts over
        // minutes, and alternating puts each pair of runs under the same load.
        var peer = options.ComparePeer ? FindPeer(root) : null;
        var runs = new List<RunFigures>();
        var peerRuns = new List<PeerRunFigures>();
        IReadOnlyList<string> peerArguments = [];
        for (var run = 1; run <= options.Runs; run++)
        {
            var ours = entryPoint is null
                ? await RunAsync(options.HostUrl!, host: null, handler, run, cancellationToken)
                : await RunOnFreshHostAsync(entryPoint, handler, run, cancellationToken);
            runs.Add(ours);
            if (peer is null)
                continue;
            peerArguments = PeerArguments(ours);
            report.Report($"peer run {run}: {Path.Combine(peer.Directory, WolverinePeer.Script)} {string.Join(' ', peerArguments)}");
            var figures = await peer.RunAsync(run, peerArguments, report, cancellationToken);
            report.PeerRun(figures);
            peerRuns.Add(figures);
        }

        var result = new BenchResult(machine, settings, runs);
        report.Summary(result);
        if (peer is null)
            return result;

        result = result with { Peer = new PeerComparison(peer.Directory, peerArguments, peerRuns) };
        report.Comparison(result);
        return result;
    }

    WolverinePeer FindPeer(string? root) =>
        WolverinePeer.Find(options.PeerDirectory, root ?? Directory.GetCurrentDirectory())
        ?? throw new BenchSetupException(options.PeerDirectory is { } given
            ? $"--peer-dir {given} has no {WolverinePeer.Script}."
            : $"--compare-peer: no shared/peers/wolverine-orders/{WolverinePeer.Script} above {root}; give --peer-dir.");

    /// <summary>The peer at the same concurrency (or rate), warmed up with as many orders as our run just before it had.</summary>
    List<string> PeerArguments(RunFigures ours)
    {
        var warmupOrders = Math.Max(PeerWarmupMinimum, ours.WarmupOrders);
        return options.Mode == LoadMode.FixedRate
            ? ["--rate", options.Rate.ToString(CultureInfo.InvariantCulture), "--orders", ((int)Math.Round(options.Rate * options.Duration.TotalSeconds)).ToString(CultureInfo.InvariantCulture),
                "--warmup", warmupOrders.ToString(CultureInfo.InvariantCulture), "--skus", options.Skus.ToString(CultureInfo.InvariantCulture)]
            : [.. WolverinePeer.Arguments(options.PeerOrders, options.Concurrency, warmupOrders, options.Skus)];
    }

    /// <summary>The peer's own default warm-up: it compiles its handlers at run time, on first use.</summary>
    const int PeerWarmupMinimum = 200;

    async Task<string> PrepareHostAsync(string root, CancellationToken cancellationToken)
    {
        if (!options.NoBuild)
        {
            report.Report($"building the host: {HostBuild.CommandLine(root)}");
            await HostBuild.RunAsync(root, cancellationToken);
        }
        return HostBuild.EntryPoint(root);
    }

    async Task<RunFigures> RunOnFreshHostAsync(string entryPoint, HttpMessageHandler handler, int run, CancellationToken cancellationToken)
    {
        var runName = $"{DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)}_{run}";
        report.Report($"run {run}: starting the host");
        await using var host = await HostProcess.StartAsync(entryPoint,
            (port, dataDirectory) => HostLaunchSettings.For(options, port, dataDirectory, runName), HostLaunchSettings.Arguments(options),
            options.StartupTimeout, cancellationToken);
        report.Report($"run {run}: host ready at {host.BaseAddress} (pid {host.ProcessId})");
        try
        {
            return await RunAsync(host.BaseAddress, host, handler, run, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The host's log says why it stopped answering; keep it for whoever looks next.
            host.KeepDataDirectory();
            if (host.ExitCode is { } code)
                throw new BenchSetupException($"The host exited during run {run} with code {code}; its log is {host.LogPath}", e);
            report.Report($"run {run}: host data and log kept in {host.DataDirectory}");
            throw;
        }
    }

    async Task<RunFigures> RunAsync(Uri baseAddress, HostProcess? host, HttpMessageHandler handler, int run, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(handler, disposeHandler: false) { BaseAddress = baseAddress, Timeout = RequestTimeout };
        var figures = await new BenchmarkRun(options, http, host?.ProcessId, report).ExecuteAsync(run, cancellationToken);
        // A failed run's database and log are what someone will want to look at.
        if (!figures.Passed)
            host?.KeepDataDirectory();
        report.Run(figures, figures.Passed ? null : host?.DataDirectory);
        return figures;
    }
}
