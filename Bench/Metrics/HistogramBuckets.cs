namespace SagaEngine.Bench.Metrics;

/// <summary>A Prometheus histogram's cumulative buckets, ordered by upper bound (the last is +Inf).</summary>
public sealed record HistogramBuckets(IReadOnlyList<(double UpperBound, double Count)> Buckets)
{
    public double Count => Buckets.Count == 0 ? 0 : Buckets[^1].Count;

    /// <summary>What was observed between an earlier scrape and this one: bucket by bucket, this minus that.</summary>
    public HistogramBuckets Since(HistogramBuckets? earlier)
    {
        if (earlier is null)
            return this;
        var before = earlier.Buckets.ToDictionary(b => b.UpperBound, b => b.Count);
        return new(Buckets.Select(b => (b.UpperBound, b.Count - before.GetValueOrDefault(b.UpperBound))).ToList());
    }

    /// <summary>
    /// The q-quantile estimated as Prometheus' histogram_quantile does: linear within the bucket that
    /// holds it, and the highest finite bound when it falls in the +Inf bucket. Null when nothing was observed.
    /// </summary>
    public double? Quantile(double q)
    {
        if (Count <= 0)
            return null;
        var rank = q * Count;
        var lowerBound = 0.0;
        var lowerCount = 0.0;
        foreach (var (upperBound, count) in Buckets)
        {
            if (count >= rank)
            {
                if (double.IsPositiveInfinity(upperBound))
                    return lowerBound;
                var inBucket = count - lowerCount;
                return inBucket <= 0 ? upperBound : lowerBound + (upperBound - lowerBound) * ((rank - lowerCount) / inBucket);
            }
            lowerBound = upperBound;
            lowerCount = count;
        }
        return lowerBound;
    }
}
