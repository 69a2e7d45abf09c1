using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SagaEngine.Host.Persistence;

namespace SagaEngine.Tests.Support;

/// <summary>
/// The real host, in-process, on a database of its own: by default a SQLite file in a temporary
/// directory that is deleted afterwards; with <see cref="DatabaseProvider.Postgres"/> a fresh database
/// on the test run's PostgreSQL server. Given a <see cref="TestDatabase"/>, it uses that one instead
/// and leaves it to its owner.
/// </summary>
public class SagaEngineFactory : WebApplicationFactory<Program>
{
    readonly TestDatabase? _ownDatabase;
    readonly Dictionary<string, string?> _settings = new();
    readonly List<Action<IServiceCollection>> _services = [];

    public SagaEngineFactory() : this(DatabaseProvider.Sqlite)
    {
    }

    public SagaEngineFactory(DatabaseProvider provider)
    {
        _ownDatabase = new TestDatabase(provider);
        Database = _ownDatabase;
    }

    public SagaEngineFactory(TestDatabase database) => Database = database;

    public TestDatabase Database { get; }

    public DatabaseProvider Provider => Database.Provider;

    public SagaEngineFactory With(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    /// <summary>
    /// Runs the flow on MassTransit's in-process transport instead of Kafka, for specs that publish
    /// straight onto the bus to reach the saga or a test consumer.
    /// </summary>
    public SagaEngineFactory OnInMemoryBus() => With("Messaging:Transport", "InMemory");

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

    /// <summary>Runs <paramref name="work"/> in a transaction of a DbContext of its own, and commits it.</summary>
    public async Task InTransaction(Func<DbContext, Task> work)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync();
        await work(db);
        await transaction.CommitAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in Database.Settings)
            builder.UseSetting(key, value);
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        // Specs read topics back (resets to a time, records compared with the store) well after the records were
        // consumed; the embedded broker's short retention would make that a race. EmbeddedRetention_Specs test it.
        builder.UseSetting("Kafka:EmbeddedRetentionSeconds", "600");
        foreach (var (key, value) in _settings)
            builder.UseSetting(key, value);
        builder.ConfigureTestServices(services => _services.ForEach(configure => configure(services)));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_ownDatabase is not null)
            await _ownDatabase.DisposeAsync();
    }
}
