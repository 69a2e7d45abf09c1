namespace SagaEngine.Consumers.Projections.OrderStats;

/// <summary>
/// Log-scale buckets for submit-to-end times, 16 per doubling: a percentile read back from them is within
/// about 2% of the exact one, and a minute's times fit in a handful of rows whatever the number of orders.
/// Bucket 0 holds times under 1 ms; bucket b (b ≥ 1) holds [2^((b-1)/16), 2^(b/16)) ms.
/// </summary>
public static class DurationBuckets
{
    const double PerDoubling = 16;

    public static int Of(TimeSpan duration)
    {
        var ms = duration.TotalMilliseconds;
        return ms < 1 ? 0 : (int)Math.Floor(Math.Log2(ms) * PerDoubling) + 1;
    }

    /// <summary>The value a bucket stands for: the geometric middle of its range, in whole milliseconds.</summary>
    public static double Milliseconds(int bucket) =>
        bucket == 0 ? 0 : Math.Round(Math.Pow(2, (bucket - 0.5) / PerDoubling));

    /// <summary>The <paramref name="quantile"/> (0-1) of the times counted in <paramref name="counts"/> (bucket → count); null when there are none.</summary>
    public static double? Percentile(IReadOnlyDictionary<int, long> counts, double quantile)
    {
        var total = counts.Values.Sum();
        if (total == 0)
            return null;
        // The rank of the value asked for, counting from 1 (nearest-rank method).
        var rank = (long)Math.Max(1, Math.Ceiling(quantile * total));
        long seen = 0;
        foreach (var (bucket, count) in counts.OrderBy(c => c.Key))
        {
            seen += count;
            if (seen >= rank)
                return Milliseconds(bucket);
        }
        return Milliseconds(counts.Keys.Max());
    }
}
