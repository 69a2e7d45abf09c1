using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace SagaEngine.Tests.Schemas;

/// <summary>
/// The v1 fixtures (Fixtures/v1, captured by capture.sh from release 1 with kcat -C -J): each scenario's
/// order and every record of it, in the order release 1 produced them.
/// </summary>
public static partial class ReleaseOneRecords
{
    public sealed record Record(string Topic, int Partition, long Offset, long Timestamp, string Key, IReadOnlyList<(string Name, string Value)> Headers,
        string Body)
    {
        public string MessageType => Headers.Last(h => h.Name == "MT-MessageType").Value;
    }

    public sealed record Scenario(string Name, string OrderId, string State, string? FailureReason, IReadOnlyList<Record> Records);

    static readonly string[] FlowOrder = ["orders.events", "inventory.commands", "inventory.replies", "payment.commands", "payment.replies"];

    public static string Directory => Path.Combine(Path.GetDirectoryName(SchemaCatalog_Specs.CatalogDirectory)!, "..",
        "Tests", "SagaEngine.Tests", "Schemas", "Fixtures", "v1");

    public static IReadOnlyList<Scenario> All { get; } = Load();

    public static IEnumerable<object[]> Names => All.Select(s => new object[] { s.Name });

    static List<Scenario> Load()
    {
        var records = System.IO.Directory.GetFiles(Directory, "run-*.jsonl")
            .SelectMany(File.ReadAllLines).Where(l => l.Length > 0).Select(ParseRecord).ToList();
        var orders = JsonNode.Parse(File.ReadAllText(Path.Combine(Directory, "orders.json")))!["orders"]!.AsArray();
        return orders.Select(o => o!.AsObject()).Select(o =>
        {
            var id = o["orderId"]!.GetValue<string>();
            // Produce order; records of one millisecond were produced in one relay round, none caused by another.
            var own = records.Where(r => r.Key == id)
                .OrderBy(r => r.Timestamp).ThenBy(r => Array.IndexOf(FlowOrder, r.Topic)).ThenBy(r => r.Offset).ToList();
            return new Scenario(o["scenario"]!.GetValue<string>(), id, o["state"]!.GetValue<string>(),
                o["failureReason"]?.GetValue<string>(), own);
        }).ToList();
    }

    static Record ParseRecord(string line)
    {
        var json = JsonNode.Parse(line)!.AsObject();
        var flat = json["headers"]!.AsArray().Select(h => h!.GetValue<string>()).ToList();
        var headers = Enumerable.Range(0, flat.Count / 2).Select(i => (flat[2 * i], flat[2 * i + 1])).ToList();
        return new Record(json["topic"]!.GetValue<string>(), json["partition"]!.GetValue<int>(), json["offset"]!.GetValue<long>(),
            json["ts"]!.GetValue<long>(), json["key"]!.GetValue<string>(), headers, json["payload"]!.GetValue<string>());
    }

    /// <summary>Gives every id of a scenario a fresh one, the same wherever it appears (keys, headers, bodies).</summary>
    public sealed partial class FreshIds
    {
        readonly Dictionary<string, string> _fresh = new(StringComparer.OrdinalIgnoreCase);

        public string this[string text] => Guids().Replace(text, m =>
            _fresh.TryGetValue(m.Value, out var fresh) ? fresh : _fresh[m.Value] = Guid.NewGuid().ToString());

        [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
        private static partial Regex Guids();
    }

    public static JsonObject Json(string body) => JsonNode.Parse(body)!.AsObject();

    public static string Text(JsonNode node) => node.ToJsonString(JsonSerializerOptions.Web);
}
