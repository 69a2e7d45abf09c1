using System.Globalization;

namespace SagaEngine.Bench.Machine;

/// <summary>Jiffies the whole machine spent busy and in total, from the aggregate line of /proc/stat.</summary>
public sealed record MachineCpuSample(long Busy, long Total)
{
    /// <summary>
    /// What else ran while the host was measured matters on a shared machine: this is everything, the
    /// host, the benchmark itself and any other process, as a percentage of all cores.
    /// </summary>
    public static double? BusyPercentBetween(MachineCpuSample? before, MachineCpuSample? after) =>
        before is null || after is null || after.Total <= before.Total
            ? null
            : 100.0 * (after.Busy - before.Busy) / (after.Total - before.Total);

    public static MachineCpuSample? Read() =>
        File.Exists("/proc/stat") ? Parse(File.ReadLines("/proc/stat").First()) : null;

    /// <summary>
    /// "cpu user nice system idle iowait irq softirq steal …": idle and iowait are not busy; steal (time
    /// the hypervisor gave to others) is left out altogether, it is neither this machine's work nor idle.
    /// </summary>
    public static MachineCpuSample Parse(string aggregateLine)
    {
        var fields = aggregateLine.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Take(7).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var total = fields.Sum();
        return new MachineCpuSample(total - fields[3] - fields[4], total);
    }
}
