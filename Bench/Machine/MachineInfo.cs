using System.Globalization;
using System.Runtime.InteropServices;

namespace SagaEngine.Bench.Machine;

/// <summary>The machine a benchmark ran on; figures mean little without it.</summary>
public sealed record MachineInfo(string CpuModel, int Cores, double MemoryGiB, string OperatingSystem, string DotNet)
{
    public static MachineInfo Detect() => new(
        ReadCpuModel(),
        Environment.ProcessorCount,
        ReadMemoryGiB(),
        ReadOperatingSystem(),
        RuntimeInformation.FrameworkDescription);

    static string ReadCpuModel() =>
        ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal)) is { } line
            ? line[(line.IndexOf(':') + 1)..].Trim()
            : RuntimeInformation.ProcessArchitecture.ToString();

    static double ReadMemoryGiB()
    {
        var line = ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        if (line is null)
            return 0;
        var kilobytes = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        return Math.Round(kilobytes / 1024.0 / 1024.0, 1);
    }

    /// <summary>The distribution and the kernel, e.g. "Debian GNU/Linux 12 (bookworm), Linux 6.1.0".</summary>
    static string ReadOperatingSystem()
    {
        var pretty = ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal));
        var kernel = ReadLines("/proc/sys/kernel/osrelease").FirstOrDefault();
        return pretty is null || kernel is null
            ? RuntimeInformation.OSDescription
            : $"{pretty["PRETTY_NAME=".Length..].Trim('"')}, Linux {kernel.Trim()}";
    }

    static IEnumerable<string> ReadLines(string path) => File.Exists(path) ? File.ReadLines(path) : [];
}
