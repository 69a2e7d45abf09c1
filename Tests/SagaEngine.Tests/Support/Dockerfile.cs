using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace SagaEngine.Tests.Support;

/// <summary>
/// The repository's Dockerfile, read the way Docker reads it (continuation lines, comments, stages,
/// ARG and ENV values with quotes, exec-form JSON arrays), as far as this project's Dockerfile uses it.
/// What the tests need from it: the build stage's commands and arguments, and the final stage's
/// ENV, EXPOSE, VOLUME, USER, WORKDIR, HEALTHCHECK and ENTRYPOINT.
/// </summary>
public sealed partial class Dockerfile
{
    public sealed record Instruction(string Keyword, string Arguments);

    public sealed record Stage(string Image, string? Name, IReadOnlyList<Instruction> Instructions)
    {
        public IEnumerable<string> All(string keyword) =>
            Instructions.Where(i => i.Keyword == keyword).Select(i => i.Arguments);

        public string? Last(string keyword) => All(keyword).LastOrDefault();

        /// <summary>ARG defaults of this stage, as its RUN commands see them in their environment.</summary>
        public IReadOnlyDictionary<string, string> Args =>
            All("ARG").Select(a => KeyValue(a, "ARG")).ToDictionary(kv => kv.Key, kv => kv.Value);

        /// <summary>ENV of this stage, in order (a later one wins); one key=value per ENV line or several separated by spaces.</summary>
        public IReadOnlyDictionary<string, string> Env
        {
            get
            {
                var env = new Dictionary<string, string>();
                foreach (var line in All("ENV"))
                foreach (var (key, value) in Words(line).Select(w => KeyValue(w, "ENV")))
                    env[key] = value;
                return env;
            }
        }

        public string? Workdir => Last("WORKDIR");
    }

    Dockerfile(string path, IReadOnlyList<Stage> stages)
    {
        Path = path;
        Stages = stages;
    }

    public string Path { get; }

    public IReadOnlyList<Stage> Stages { get; }

    /// <summary>The stage that becomes the image.</summary>
    public Stage Final => Stages[^1];

    public Stage Named(string name) => Stages.Single(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    public IReadOnlyList<int> ExposedPorts =>
        Final.All("EXPOSE").SelectMany(Words).Select(p => int.Parse(p.Split('/')[0])).ToList();

    public IReadOnlyList<string> Volumes =>
        Final.All("VOLUME").SelectMany(v => v.TrimStart().StartsWith('[') ? JsonArray(v) : Words(v)).ToList();

    public string? User => Final.Last("USER");

    /// <summary>The health check's command as Docker executes it (a shell form runs under /bin/sh -c), and its options.</summary>
    public (IReadOnlyList<string> Command, IReadOnlyDictionary<string, string> Options)? HealthCheck
    {
        get
        {
            var line = Final.Last("HEALTHCHECK");
            if (line is null)
                return null;
            var match = HealthCheckForm().Match(line);
            if (!match.Success)
                throw new FormatException($"HEALTHCHECK is neither NONE nor [options] CMD command: {line}");
            var options = match.Groups["option"].Captures
                .Select(c => c.Value.Split('=', 2))
                .ToDictionary(kv => kv[0], kv => kv[1]);
            return (ExecOrShell(match.Groups["command"].Value), options);
        }
    }

    public IReadOnlyList<string> Entrypoint => ExecOrShell(Final.Last("ENTRYPOINT") ?? throw new FormatException("The final stage has no ENTRYPOINT."));

    /// <summary>The final stage's <c>COPY --from=stage source destination</c> lines.</summary>
    public IEnumerable<(string Stage, string Source, string Destination)> CopiesFromStages =>
        Final.All("COPY").Select(Words).Where(w => w[0].StartsWith("--from=")).Select(w => (w[0]["--from=".Length..], w[1], w[2]));

    public static Dockerfile Read(string path)
    {
        var stages = new List<Stage>();
        var globalArgs = new Dictionary<string, string>();
        List<Instruction>? current = null;
        foreach (var (keyword, arguments) in Logical(File.ReadAllLines(path)))
        {
            if (keyword == "FROM")
            {
                var words = Words(arguments);
                // ARGs before the first FROM only parameterise FROM lines.
                var image = Substitution().Replace(words[0], m => globalArgs.GetValueOrDefault(m.Groups["name"].Value, ""));
                current = [];
                stages.Add(new Stage(image, words.Count >= 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? words[2] : null, current));
            }
            else if (current is null)
            {
                if (keyword == "ARG")
                {
                    var (key, value) = KeyValue(arguments, "ARG");
                    globalArgs[key] = value;
                }
            }
            else
            {
                current.Add(new Instruction(keyword, arguments));
            }
        }
        return stages.Count > 0 ? new Dockerfile(path, stages) : throw new FormatException($"{path} has no FROM.");
    }

    /// <summary>Joins continuation lines and drops comments and blank lines: one (KEYWORD, arguments) per instruction.</summary>
    static IEnumerable<(string Keyword, string Arguments)> Logical(IEnumerable<string> lines)
    {
        var pending = new StringBuilder();
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || (line.Length == 0 && pending.Length == 0))
                continue;
            if (line.EndsWith('\\'))
            {
                pending.Append(line[..^1]).Append(' ');
                continue;
            }
            pending.Append(line);
            var instruction = pending.ToString().Trim();
            pending.Clear();
            if (instruction.Length == 0)
                continue;
            var space = instruction.IndexOfAny([' ', '\t']);
            yield return space < 0
                ? (instruction.ToUpperInvariant(), "")
                : (instruction[..space].ToUpperInvariant(), instruction[(space + 1)..].Trim());
        }
    }

    static IReadOnlyList<string> ExecOrShell(string command) =>
        command.TrimStart().StartsWith('[') ? JsonArray(command) : ["/bin/sh", "-c", command];

    static IReadOnlyList<string> JsonArray(string json) => JsonSerializer.Deserialize<string[]>(json)!;

    /// <summary>Splits on white space outside double quotes and removes the quotes, as Docker does for ENV, ARG and the like.</summary>
    static IReadOnlyList<string> Words(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var quoted = false;
        var any = false;
        foreach (var c in text)
        {
            if (c == '"')
            {
                quoted = !quoted;
                any = true;
            }
            else if (char.IsWhiteSpace(c) && !quoted)
            {
                if (any)
                    words.Add(word.ToString());
                word.Clear();
                any = false;
            }
            else
            {
                word.Append(c);
                any = true;
            }
        }
        if (any)
            words.Add(word.ToString());
        return words;
    }

    static (string Key, string Value) KeyValue(string text, string keyword)
    {
        var word = keyword == "ARG" ? string.Join(' ', Words(text)) : text;
        var equals = word.IndexOf('=');
        return equals < 0
            ? keyword == "ARG" ? (word, "") : throw new FormatException($"{keyword} {text}: only the key=value form is read here.")
            : (word[..equals], word[(equals + 1)..]);
    }

    [GeneratedRegex(@"\$\{?(?<name>[A-Za-z_][A-Za-z0-9_]*)\}?")]
    internal static partial Regex Substitution();

    [GeneratedRegex(@"^(?:(?<option>--[a-z-]+=\S+)\s+)*CMD\s+(?<command>.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex HealthCheckForm();
}

/// <summary>
/// A <c>.dockerignore</c>: which files of the repository go into the build context. Patterns are
/// relative to the context's root, with <c>*</c>, <c>?</c> and <c>**</c>; a path is left out when it or
/// one of its folders matches. Exceptions (<c>!pattern</c>) are not used here and refused.
/// </summary>
public sealed class DockerIgnore
{
    readonly IReadOnlyList<(string Pattern, Regex Match)> _patterns;

    DockerIgnore(IReadOnlyList<(string, Regex)> patterns) => _patterns = patterns;

    public IEnumerable<string> Patterns => _patterns.Select(p => p.Pattern);

    public static DockerIgnore Read(string path) =>
        new(File.ReadAllLines(path)
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.StartsWith('!')
                ? throw new NotSupportedException($".dockerignore exception '{l}' is not understood by this test.")
                : (l, ToRegex(l)))
            .ToList());

    /// <summary>True when <paramref name="relativePath"/> (with '/' separators) or a folder above it is ignored.</summary>
    public bool Ignores(string relativePath)
    {
        var parts = relativePath.Split('/');
        for (var i = 1; i <= parts.Length; i++)
        {
            var prefix = string.Join('/', parts[..i]);
            if (_patterns.Any(p => p.Match.IsMatch(prefix)))
                return true;
        }
        return false;
    }

    /// <summary>Copies the build context of <paramref name="root"/> to <paramref name="destination"/>, as <c>docker build</c> sends it.</summary>
    public void CopyContext(string root, string destination)
    {
        Directory.CreateDirectory(destination);
        Copy(root, root, destination);
    }

    void Copy(string root, string directory, string destination)
    {
        // Ignored folders are not even entered: bin/, obj/ and .git/ are large.
        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos())
        {
            var relative = System.IO.Path.GetRelativePath(root, entry.FullName).Replace('\\', '/');
            if (Ignores(relative))
                continue;
            var target = System.IO.Path.Combine(destination, relative);
            if (entry is DirectoryInfo)
            {
                Directory.CreateDirectory(target);
                Copy(root, entry.FullName, destination);
            }
            else
            {
                File.Copy(entry.FullName, target);
            }
        }
    }

    static Regex ToRegex(string pattern)
    {
        var clean = pattern.Trim('/');
        if (clean.StartsWith("./"))
            clean = clean[2..];
        var regex = new StringBuilder("^");
        for (var i = 0; i < clean.Length; i++)
        {
            var c = clean[i];
            if (c == '*' && i + 1 < clean.Length && clean[i + 1] == '*')
            {
                // "**/" matches any number of folders, including none.
                var slash = i + 2 < clean.Length && clean[i + 2] == '/';
                regex.Append(slash ? "(?:.*/)?" : ".*");
                i += slash ? 2 : 1;
            }
            else
            {
                regex.Append(c switch
                {
                    '*' => "[^/]*",
                    '?' => "[^/]",
                    _ => Regex.Escape(c.ToString())
                });
            }
        }
        return new Regex(regex.Append('$').ToString());
    }
}
