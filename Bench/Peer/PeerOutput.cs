using System.Globalization;

namespace SagaEngine.Bench.Peer;

/// <summary>
/// What the Wolverine peer prints about one run: its <c>RESULT</c> line (the measured orders) and its
/// <c>VERIFY</c> line (its own check of the database), as <c>key=value</c> words.
/// </summary>
public sealed record PeerOutput(double? OrdersPerSecond, double? P50Ms, double? P95Ms, double? P99Ms, double? MaxMs, int? Orders, int? Lost,
    bool? Verified)
{
    public const string ResultPrefix = "RESULT ";
    public const string VerifyPrefix = "VERIFY ";

    /// <summary>The line the peer prints when its warm-up orders have ended and its measured ones start.</summary>
    public const string WarmupPrefix = "warmup:";

    public static PeerOutput Parse(IEnumerable<string> lines)
    {
        var result = new Dictionary<string, string>();
        var verify = new Dictionary<string, string>();
        foreach (var line in lines)
        {
            if (line.StartsWith(ResultPrefix, StringComparison.Ordinal))
                result = Words(line[ResultPrefix.Length..]);
            else if (line.StartsWith(VerifyPrefix, StringComparison.Ordinal))
                verify = Words(line[VerifyPrefix.Length..]);
        }
        return new PeerOutput(Number(result, "orders_per_s"), Number(result, "p50_ms"), Number(result, "p95_ms"), Number(result, "p99_ms"),
            Number(result, "max_ms"), (int?)Number(result, "orders"), (int?)Number(result, "lost"),
            verify.TryGetValue("ok", out var ok) ? ok == "true" : null);
    }

    /// <summary>Its own verification passed and no measured order was lost.</summary>
    public bool Passed => Verified == true && Lost == 0 && OrdersPerSecond is not null;

    static Dictionary<string, string> Words(string text) =>
        text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => w.Split('=', 2)).Where(kv => kv.Length == 2)
            .ToDictionary(kv => kv[0], kv => kv[1]);

    static double? Number(Dictionary<string, string> words, string key) =>
        words.TryGetValue(key, out var text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            && double.IsFinite(value)
            ? value
            : null;
}
