using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SagaEngine.Bench.Reporting;

/// <summary>Writes a result as JSON, for comparing runs over time or feeding a dashboard.</summary>
public static class JsonReport
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        // A file for people and tools, never embedded in HTML: "+" may stay "+".
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals
    };

    public static async Task WriteAsync(BenchResult result, string path, CancellationToken cancellationToken)
    {
        var document = new
        {
            result.Machine,
            result.Settings,
            result.Passed,
            Median = result.Medians,
            result.Runs,
            Peer = result.Peer is { } peer
                ? new
                {
                    peer.Directory,
                    peer.Arguments,
                    peer.Passed,
                    Compared = peer.Against(result.Runs).Select(f => new { f.Label, f.Ours, f.Peer, f.Ratio }),
                    Runs = peer.Runs.Select(r => new { r.Run, r.Passed, r.ExitCode, r.Output, r.CpuMsPerOrder })
                }
                : null
        };
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
            Directory.CreateDirectory(directory);
        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, document, Json, cancellationToken);
    }
}
