using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SagaEngine.Host.Persistence;

namespace SagaEngine.Tests.Support;

/// <summary>
/// The real host, in-process, on a database of its own: by default a SQLite file in a temporary
/// directory that is deleted afterwards; with <see cref="DatabaseProvider.Postgres"/> a fresh database
/// on the test run's PostgreSQL server.
/// </summary>
public class SagaEngineFactory : WebApplicationFactory<Program>
{
    readonly string _directory = Directory.CreateTempSubdirectory("sagaengine-test-").FullName;
    readonly Dictionary<string, string?> _settings = new();
    readonly List<Action<IServiceCollection>> _services = [];

    public SagaEngineFactory() : this(DatabaseProvider.Sqlite)
    {
    }

    public SagaEngineFactory(DatabaseProvider provider)
    {
        Provider = provider;
        if (provider == DatabaseProvider.Postgres)
            PostgresConnectionString = PostgresServer.Instance.CreateDatabase();
    }

    public DatabaseProvider Provider { get; }

    public string SqlitePath => Path.Combine(_directory, "sagaengine.db");

    public string? PostgresConnectionString { get; }

    /// <summary>The settings that point a host, in this process or another, at this factory's database.</summary>
    public IReadOnlyDictionary<string, string> DatabaseSettings => Provider == DatabaseProvider.Postgres
        ? new Dictionary<string, string>
        {
            ["Database:Provider"] = nameof(DatabaseProvider.Postgres),
            ["ConnectionStrings:SagaEngine"] = PostgresConnectionString!
        }
        : new Dictionary<string, string>
        {
            ["Database:Provider"] = nameof(DatabaseProvider.Sqlite),
            ["Database:SqlitePath"] = SqlitePath
        };

    public SagaEngineFactory With(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    /// <summary>Adds or replaces services after the host registered its own.</summary>
    public SagaEngineFactory WithServices(Action<IServiceCollection> configure)
    {
        _services.Add(configure);
        return this;
    }

    /// <summary>Runs <paramref name="query"/> on a DbContext of its own, as another reader of the database would.</summary>
    public async Task<T> Query<T>(Func<DbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<DbContext>());
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in DatabaseSettings)
            builder.UseSetting(key, value);
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        foreach (var (key, value) in _settings)
            builder.UseSetting(key, value);
        builder.ConfigureTestServices(services => _services.ForEach(configure => configure(services)));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
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
