using System.Diagnostics;
using SagaEngine.Bench.Hosting;

namespace SagaEngine.Bench.Peer;

/// <summary>
/// Runs the Wolverine peer (<c>shared/peers/wolverine-orders/run.sh</c>: the same order flow on Wolverine,
/// the same librdkafka mock broker, a durable PostgreSQL inbox and outbox, an EF Core saga) as its own
/// script does, with its PostgreSQL on a free port, and reads its figures. It is another project:
/// nothing of it is built into the benchmark.
/// </summary>
public sealed class WolverinePeer(string directory)
{
    public const string Script = "run.sh";

    /// <summary>The process the script starts, whose CPU is read (the driver, Wolverine and the broker are in it).</summary>
    const string PeerAssembly = "WolverineOrders.dll";

    static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(15);

    public string Directory { get; } = directory;

    /// <summary>The peer beside this repository (or given by --peer-dir), or null when there is none.</summary>
    public static WolverinePeer? Find(string? given, string? repositoryRoot)
    {
        if (given is not null)
            return File.Exists(Path.Combine(given, Script)) ? new WolverinePeer(Path.GetFullPath(given)) : null;
        for (var dir = repositoryRoot is null ? null : new DirectoryInfo(repositoryRoot); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "peers", "wolverine-orders");
            if (File.Exists(Path.Combine(candidate, Script)))
                return new WolverinePeer(candidate);
        }
        return null;
    }

    public static IReadOnlyList<string> Arguments(int orders, int concurrency, int warmupOrders, int skus) =>
        ["--orders", orders.ToString(), "--concurrency", concurrency.ToString(), "--warmup", warmupOrders.ToString(), "--skus", skus.ToString()];

    public async Task<PeerRunFigures> RunAsync(int run, IReadOnlyList<string> arguments, IProgress<string>? progress,
        CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false
        };
        start.ArgumentList.Add(Path.Combine(Directory, Script));
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        // Its own default port may be taken by another PostgreSQL on a shared machine.
        start.Environment["PGPORT"] = FreePort.OnLoopback().ToString();

        using var script = Process.Start(start) ?? throw new BenchSetupException($"Could not start {Script} of the peer in {Directory}.");
        var lines = new List<string>();
        CpuSample? warm = null, done = null;
        var clock = Stopwatch.StartNew();
        var errors = script.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RunTimeout);
        try
        {
            while (await script.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                lines.Add(line);
                if (line.StartsWith(PeerOutput.WarmupPrefix, StringComparison.Ordinal))
                {
                    warm = SampleCpu(script.Id, clock.Elapsed);
                    progress?.Report($"peer run {run}: {line.Trim()}; measuring");
                }
                else if (line.StartsWith(PeerOutput.ResultPrefix, StringComparison.Ordinal))
                    done = SampleCpu(script.Id, clock.Elapsed);
            }
            await script.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            script.Kill(entireProcessTree: true);
            throw;
        }

        var output = PeerOutput.Parse(lines);
        double? cpuMsPerOrder = warm is null || done is null || output.Orders is not > 0
            ? null
            : (done.CpuTime - warm.CpuTime).TotalMilliseconds / output.Orders.Value;
        var said = lines.Concat((await errors).Split('\n', StringSplitOptions.RemoveEmptyEntries)).TakeLast(20).ToList();
        return new PeerRunFigures(run, output, cpuMsPerOrder, script.ExitCode, said);
    }

    /// <summary>The peer's own process: the script's child that runs its assembly.</summary>
    static CpuSample? SampleCpu(int scriptId, TimeSpan at) =>
        Descendants(scriptId).FirstOrDefault(pid => CommandLine(pid).Contains(PeerAssembly, StringComparison.Ordinal)) is var pid and > 0
            ? ProcessUsage.SampleCpu(pid, at)
            : null;

    static IEnumerable<int> Descendants(int ancestor)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in System.IO.Directory.GetDirectories("/proc"))
            if (int.TryParse(Path.GetFileName(dir), out var pid) && ParentOf(ReadOrEmpty(Path.Combine(dir, "stat"))) is { } parent)
                parents[pid] = parent;

        bool Below(int pid)
        {
            for (var p = pid; parents.TryGetValue(p, out var up) && up > 0; p = up)
                if (up == ancestor)
                    return true;
            return false;
        }

        return parents.Keys.Where(Below).ToList();
    }

    /// <summary>Field 4 of /proc/PID/stat, counted after the command name's closing parenthesis.</summary>
    static int? ParentOf(string stat)
    {
        var close = stat.LastIndexOf(')');
        var fields = close < 0 ? [] : stat[(close + 2)..].Split(' ');
        return fields.Length > 1 && int.TryParse(fields[1], out var parent) ? parent : null;
    }

    static string CommandLine(int pid) => ReadOrEmpty($"/proc/{pid}/cmdline").Replace('\0', ' ');

    static string ReadOrEmpty(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
