using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace SagaEngine.Host.Messaging.Schemas;

/// <summary>
/// How the catalog lays out its files under <c>Contracts/Schemas</c>: <c>&lt;ShortName&gt;/v&lt;N&gt;.schema.json</c>,
/// samples <c>&lt;ShortName&gt;/v&lt;N&gt;.sample*.json</c>, and <c>released.json</c>, the hash of every file of
/// every released version, which must never change again.
/// </summary>
public static class CatalogFiles
{
    public const string ReleasedFile = "released.json";

    static readonly JsonSerializerOptions Writing = new() { WriteIndented = true, NewLine = "\n" };

    public static string SchemaFile(string shortName, int version) => $"{shortName}/v{version}.schema.json";

    /// <summary>The samples of one version, as paths relative to the catalog directory, in name order.</summary>
    public static IReadOnlyList<string> Samples(string catalogDirectory, string shortName, int version)
    {
        var folder = Path.Combine(catalogDirectory, shortName);
        return Directory.Exists(folder)
            ? Directory.GetFiles(folder, $"v{version}.sample*.json").Select(f => $"{shortName}/{Path.GetFileName(f)}").Order(StringComparer.Ordinal).ToList()
            : [];
    }

    /// <summary>Every file of one version: its schema and its samples.</summary>
    public static IEnumerable<string> FilesOf(string catalogDirectory, string shortName, int version) =>
        Samples(catalogDirectory, shortName, version).Prepend(SchemaFile(shortName, version))
            .Where(f => File.Exists(Path.Combine(catalogDirectory, f)));

    /// <summary>SHA-256 of the file's text with LF line ends, so a checkout's line-end setting changes nothing.</summary>
    public static string Hash(string path)
    {
        var text = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>Released files (relative paths) and their hashes; empty when nothing was released.</summary>
    public static SortedDictionary<string, string> ReadReleased(string catalogDirectory)
    {
        var path = Path.Combine(catalogDirectory, ReleasedFile);
        if (!File.Exists(path))
            return new SortedDictionary<string, string>(StringComparer.Ordinal);
        var files = JsonSerializer.Deserialize<Released>(File.ReadAllText(path), JsonSerializerOptions.Web)?.Files ?? new Dictionary<string, string>();
        return new SortedDictionary<string, string>(files, StringComparer.Ordinal);
    }

    public static void WriteReleased(string catalogDirectory, IReadOnlyDictionary<string, string> files) =>
        File.WriteAllText(Path.Combine(catalogDirectory, ReleasedFile),
            JsonSerializer.Serialize(new Released(new SortedDictionary<string, string>(files.ToDictionary(), StringComparer.Ordinal)),
                new JsonSerializerOptions(Writing) { PropertyNamingPolicy = JsonNamingPolicy.CamelCase }) + "\n");

    /// <param name="Files">Path relative to the catalog directory → hash.</param>
    sealed record Released(IDictionary<string, string> Files);
}
