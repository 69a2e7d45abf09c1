using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SagaEngine.Bench.Hosting;
using SagaEngine.Consumers;
using SagaEngine.Host.EventStore;
using SagaEngine.Host.Persistence;
using SagaEngine.Host.Persistence.Providers;

namespace SagaEngine.EventStoreBench;

/// <summary>
/// The event store as the host composes it (its DbContexts, the store, the services' folds and inline
/// projections), on a fresh database: a SQLite file in a temporary directory, or a database on a
/// throwaway PostgreSQL server with the server's default durability.
/// </summary>
public sealed class StoreUnderTest : IAsyncDisposable
{
    readonly ServiceProvider _services;
    readonly LocalPostgres? _postgres;
    readonly string? _directory;

    StoreUnderTest(ServiceProvider services, LocalPostgres? postgres, string? directory, string description)
    {
        _services = services;
        _postgres = postgres;
        _directory = directory;
        Description = description;
    }

    public string Description { get; }

    public static async Task<StoreUnderTest> Start(bool postgres, int snapshotEvery, CancellationToken cancellationToken)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["EventStore:SnapshotEvery"] = snapshotEvery.ToString() })
            .Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton(TimeProvider.System)
            .AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));

        LocalPostgres? server = null;
        string? directory = null;
        string description;
        if (postgres)
        {
            server = await LocalPostgres.StartAsync(cancellationToken);
            var connection = server.ConnectionString.Replace(HostLaunchSettings.RunPlaceholder, "eventstore");
            services.AddDbContextPool<PostgresSagaEngineDbContext>((sp, o) => o.UseNpgsql(connection).AddInterceptors(sp.GetRequiredService<AfterCommit>()));
            services.AddScoped<SagaEngineDbContext>(sp => sp.GetRequiredService<PostgresSagaEngineDbContext>());
            description = $"PostgreSQL ({server.BinDirectory}), default durability";
        }
        else
        {
            directory = Directory.CreateTempSubdirectory("sagaengine-eventstore-bench-").FullName;
            var file = Path.Combine(directory, "events.db");
            services.AddDbContextPool<SqliteSagaEngineDbContext>((sp, o) => o.UseSqlite($"Data Source={file};Pooling=true")
                .AddInterceptors(SqliteConnectionSetup.Instance, SqliteWriteGate.Instance, sp.GetRequiredService<AfterCommit>()));
            services.AddScoped<SagaEngineDbContext>(sp => sp.GetRequiredService<SqliteSagaEngineDbContext>());
            description = "SQLite (WAL), a file in a temporary directory";
        }
        services.AddScoped<DbContext>(sp => sp.GetRequiredService<SagaEngineDbContext>());
        services.AddEventStore();
        services.AddOrderServiceSettings();

        var provider = services.BuildServiceProvider();
        await using (var scope = provider.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SagaEngineDbContext>();
            await db.Database.MigrateAsync(cancellationToken);
            if (!postgres)
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
        return new StoreUnderTest(provider, server, directory, description);
    }

    /// <summary>Runs <paramref name="work"/> in a scope of its own: a DbContext, a connection, as one request or message would have.</summary>
    public async Task<T> In<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = _services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        if (_postgres is not null)
            await _postgres.DisposeAsync();
        if (_directory is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_directory, recursive: true);
        }
    }
}
