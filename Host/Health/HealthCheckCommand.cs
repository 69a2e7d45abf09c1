using System.Text.RegularExpressions;

namespace SagaEngine.Host.Health;

/// <summary>
/// <c>healthcheck [url]</c>: asks a running host whether it is alive (<c>GET /health/live</c>) and exits 0
/// when it answers 200, 1 otherwise (also for bad arguments: Docker reserves 2). It is the container's <c>HEALTHCHECK</c>, since the ASP.NET runtime
/// image has no curl or wget. Without a URL it reads the same <c>Urls</c> setting the host listens on
/// (appsettings.json of the working directory, then environment variables) and asks the first http
/// address, with a wildcard host (<c>0.0.0.0</c>, <c>+</c>, <c>*</c>, <c>[::]</c>) replaced by 127.0.0.1.
/// </summary>
public static partial class HealthCheckCommand
{
    public const string Name = "healthcheck";
    public const string LivePath = "/health/live";

    /// <summary>Below Docker's default health-check timeout (30 s) and the Dockerfile's (5 s), so the command itself reports the failure.</summary>
    static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(3);

    public static async Task<int> Run(string[] args)
    {
        Uri target;
        try
        {
            target = args switch
            {
                [] => LiveUri(ReadConfiguration()),
                [var url] when Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" => uri,
                _ => throw new ArgumentException($"usage: {Name} [http://host:port{LivePath}]")
            };
        }
        catch (ArgumentException e)
        {
            // Not 2: Docker reserves that exit code of a health check.
            Console.Error.WriteLine(e.Message);
            return 1;
        }

        using var http = new HttpClient { Timeout = RequestTimeout };
        try
        {
            using var response = await http.GetAsync(target);
            // Docker keeps the last lines of a check's output (docker inspect): say what was asked and what came back.
            Console.Out.WriteLine($"GET {target} answered {(int)response.StatusCode}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            Console.Out.WriteLine($"GET {target} failed: {e.Message}");
            return 1;
        }
    }

    /// <summary>The host's own sources of the listening address, in the order the host reads them.</summary>
    static IConfiguration ReadConfiguration()
    {
        var environment = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")
                          ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT")
                          ?? Environments.Production;
        var directory = Directory.GetCurrentDirectory();
        var configuration = new ConfigurationManager();
        configuration.AddEnvironmentVariables("ASPNETCORE_");
        configuration.AddJsonFile(Path.Combine(directory, "appsettings.json"), optional: true);
        configuration.AddJsonFile(Path.Combine(directory, $"appsettings.{environment}.json"), optional: true);
        configuration.AddEnvironmentVariables();
        return configuration;
    }

    /// <summary>
    /// <c>/health/live</c> on the first http address of <c>Urls</c> (else of <c>HTTP_PORTS</c>, else Kestrel's
    /// default port 5000), reached over loopback.
    /// </summary>
    internal static Uri LiveUri(IConfiguration configuration)
    {
        var urls = (configuration["Urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var url in urls.OrderBy(u => u.StartsWith("https:", StringComparison.OrdinalIgnoreCase)))
        {
            var match = ListenAddress().Match(url);
            if (!match.Success)
                throw new ArgumentException($"Urls: '{url}' is not an address this command understands.");
            var host = match.Groups["host"].Value switch
            {
                "" or "0.0.0.0" or "+" or "*" or "[::]" => "127.0.0.1",
                var named => named
            };
            var scheme = match.Groups["scheme"].Value.ToLowerInvariant();
            var port = match.Groups["port"].Success ? match.Groups["port"].Value : scheme == "https" ? "443" : "80";
            return new Uri($"{scheme}://{host}:{port}{LivePath}");
        }

        var httpPorts = (configuration["HTTP_PORTS"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new Uri($"http://127.0.0.1:{(httpPorts is [var first, ..] ? first : "5000")}{LivePath}");
    }

    // Kestrel's address forms: scheme://host[:port][/path], where host may be a wildcard Uri cannot parse.
    [GeneratedRegex(@"^(?<scheme>https?)://(?<host>\[[^\]]*\]|[^:/]*)(:(?<port>\d+))?(/.*)?$", RegexOptions.IgnoreCase)]
    private static partial Regex ListenAddress();
}
