using System.Globalization;
using System.Runtime.InteropServices;

namespace SagaEngine.Bench.Hosting;

/// <summary>CPU time used so far, read from /proc at one moment.</summary>
public sealed record CpuSample(TimeSpan CpuTime, TimeSpan WallClock);

/// <summary>
/// What a process has used, from Linux's /proc: CPU time (user + system) and peak resident memory.
/// Read from outside, so it works for any host process, whatever runs inside it.
/// </summary>
public static class ProcessUsage
{
    const int ScClkTck = 2;

    [DllImport("libc", EntryPoint = "sysconf")]
    static extern long SysConf(int name);

    static readonly Lazy<long> TicksPerSecond = new(() =>
    {
        try
        {
            var ticks = SysConf(ScClkTck);
            return ticks > 0 ? ticks : 100;
        }
        catch (DllNotFoundException)
        {
            return 100;
        }
    });

    /// <summary>Null once the process is gone.</summary>
    public static CpuSample? SampleCpu(int pid, TimeSpan wallClock) =>
        ReadProc(pid, "stat") is { } stat ? new(CpuTimeFromStat(stat, TicksPerSecond.Value), wallClock) : null;

    /// <summary>VmHWM: the most resident memory the process has had, in bytes; null when /proc does not say or the process is gone.</summary>
    public static long? PeakResidentBytes(int pid) => ReadProc(pid, "status") is { } status ? PeakResidentFromStatus(status) : null;

    static string? ReadProc(int pid, string file)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/{file}");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// utime and stime are fields 14 and 15 of /proc/PID/stat. The command name (field 2) is in
    /// parentheses and may itself hold spaces or parentheses, so fields are counted after the last ')'.
    /// </summary>
    public static TimeSpan CpuTimeFromStat(string stat, long ticksPerSecond)
    {
        var afterName = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // afterName[0] is field 3 (state), so field n is afterName[n - 3].
        var ticks = long.Parse(afterName[14 - 3], CultureInfo.InvariantCulture)
                    + long.Parse(afterName[15 - 3], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds((double)ticks / ticksPerSecond);
    }

    public static long? PeakResidentFromStatus(string status)
    {
        var line = status.Split('\n').FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        if (line is null)
            return null;
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return long.Parse(parts[1], CultureInfo.InvariantCulture) * 1024; // always given in kB
    }
}
