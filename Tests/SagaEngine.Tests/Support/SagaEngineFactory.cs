using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace SagaEngine.Tests.Support;

/// <summary>The real host, in-process, on a database of its own that is deleted afterwards.</summary>
public class SagaEngineFactory : WebApplicationFactory<Program>
{
    readonly string _directory = Directory.CreateTempSubdirectory("sagaengine-test-").FullName;
    readonly Dictionary<string, string?> _settings = new();

    public SagaEngineFactory With(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Database:SqlitePath", Path.Combine(_directory, "sagaengine.db"));
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        foreach (var (key, value) in _settings)
            builder.UseSetting(key, value);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is left for the OS's temp clean-up; the test result stands.
        }
    }
}
