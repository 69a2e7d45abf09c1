namespace SagaEngine.Bench.Figures;

public static class Percentiles
{
    /// <summary>
    /// Nearest rank: the smallest observed value with at least p of the values at or below it, so every
    /// reported percentile is a latency some order really had. Null for no values.
    /// </summary>
    public static double? Of(IReadOnlyList<double> sortedValues, double p)
    {
        if (sortedValues.Count == 0)
            return null;
        var rank = (int)Math.Ceiling(p * sortedValues.Count);
        return sortedValues[Math.Clamp(rank - 1, 0, sortedValues.Count - 1)];
    }

    /// <summary>The middle value, or the mean of the two middle ones; values that are missing are left out.</summary>
    public static double? Median(IEnumerable<double?> values)
    {
        var present = values.OfType<double>().Order().ToList();
        if (present.Count == 0)
            return null;
        var middle = present.Count / 2;
        return present.Count % 2 == 1 ? present[middle] : (present[middle - 1] + present[middle]) / 2;
    }
}
