using System.Globalization;

namespace SagaEngine.Bench.Metrics;

/// <summary>One line of the Prometheus text format: a series name, its labels and its value.</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>
/// A parsed scrape of the Prometheus text exposition format (version 0.0.4), with the two questions the
/// benchmark asks of it: the total of a counter over all its label sets, and a histogram's buckets.
/// </summary>
public sealed class PrometheusText
{
    readonly ILookup<string, PrometheusSample> _byName;

    PrometheusText(IEnumerable<PrometheusSample> samples) => _byName = samples.ToLookup(s => s.Name);

    public static readonly PrometheusText Empty = new([]);

    public static PrometheusText Parse(string text) =>
        new(text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(ParseLine)
            .OfType<PrometheusSample>());

    public bool Has(string name) => _byName.Contains(name);

    /// <summary>The sum over every label set, or null when the series is absent.</summary>
    public double? Total(string name) => Has(name) ? _byName[name].Sum(s => s.Value) : null;

    /// <summary>The sum for each value of one label (samples without it under ""); empty when the series is absent.</summary>
    public IReadOnlyDictionary<string, double> TotalsBy(string name, string label) =>
        _byName[name].GroupBy(s => s.Labels.GetValueOrDefault(label) ?? "").ToDictionary(g => g.Key, g => g.Sum(s => s.Value));

    /// <summary>
    /// Cumulative bucket counts by upper bound, summed over every other label, or null when the
    /// histogram is absent. The last bound is +Inf.
    /// </summary>
    public HistogramBuckets? Histogram(string baseName)
    {
        var buckets = _byName[baseName + "_bucket"].ToList();
        if (buckets.Count == 0)
            return null;
        var counts = buckets
            .Where(b => b.Labels.ContainsKey("le"))
            .GroupBy(b => ParseValue(b.Labels["le"]))
            .OrderBy(g => g.Key)
            .Select(g => (UpperBound: g.Key, Count: g.Sum(b => b.Value)))
            .ToList();
        return new HistogramBuckets(counts);
    }

    static PrometheusSample? ParseLine(string line)
    {
        var labelsStart = line.IndexOf('{');
        var nameEnd = labelsStart >= 0 ? labelsStart : line.IndexOf(' ');
        if (nameEnd <= 0)
            return null;
        var name = line[..nameEnd];
        var labels = new Dictionary<string, string>();
        var rest = line[nameEnd..];
        if (labelsStart >= 0)
        {
            var labelsEnd = FindLabelsEnd(line, labelsStart);
            if (labelsEnd < 0)
                return null;
            ParseLabels(line[(labelsStart + 1)..labelsEnd], labels);
            rest = line[(labelsEnd + 1)..];
        }
        // A sample may carry a timestamp after its value.
        var value = rest.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return value is null ? null : new PrometheusSample(name, labels, ParseValue(value));
    }

    /// <summary>The closing brace that is not inside a quoted label value.</summary>
    static int FindLabelsEnd(string line, int start)
    {
        var quoted = false;
        for (var i = start + 1; i < line.Length; i++)
        {
            if (line[i] == '\\' && quoted)
                i++;
            else if (line[i] == '"')
                quoted = !quoted;
            else if (line[i] == '}' && !quoted)
                return i;
        }
        return -1;
    }

    static void ParseLabels(string text, Dictionary<string, string> labels)
    {
        var i = 0;
        while (i < text.Length)
        {
            var equals = text.IndexOf('=', i);
            if (equals < 0 || equals + 1 >= text.Length || text[equals + 1] != '"')
                return;
            var key = text[i..equals].Trim().TrimStart(',').Trim();
            var value = new System.Text.StringBuilder();
            var j = equals + 2;
            for (; j < text.Length && text[j] != '"'; j++)
            {
                if (text[j] == '\\' && j + 1 < text.Length)
                {
                    j++;
                    value.Append(text[j] == 'n' ? '\n' : text[j]);
                }
                else
                    value.Append(text[j]);
            }
            labels[key] = value.ToString();
            i = j + 1;
        }
    }

    static double ParseValue(string text) => text switch
    {
        "+Inf" or "Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture)
    };
}
