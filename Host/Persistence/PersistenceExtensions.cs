using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SagaEngine.Host.Persistence.Outbox;
using SagaEngine.Host.Persistence.Providers;
using SagaEngine.Host.Persistence.Relay;

namespace SagaEngine.Host.Persistence;

public static class PersistenceExtensions
{
    /// <summary>
    /// The database the settings choose, migrated at start-up, with the transactional outbox and its
    /// relay. Call it before anything else that registers hosted services: the migration must run first.
    /// </summary>
    public static WebApplicationBuilder AddPersistence(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section)
            .Configure<IConfiguration>((o, configuration) =>
                o.ConnectionString = configuration.GetConnectionString(DatabaseOptions.ConnectionStringName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();
        services.AddSingleton<ConfiguredDatabase>();
        services.AddSingleton<TransactionMetrics>();
        services.AddSingleton<CommandMetrics>();
        services.AddSingleton<AfterCommit>();
        services.AddSingleton<Writes.CommitBatch>();

        // Pooled: every message and request gets a context, and building one (its services, its
        // interceptors) was a visible share of the host's CPU per message. EF resets a context before
        // it is handed out again.
        services.AddDbContextPool<SqliteSagaEngineDbContext>(Configure);
        services.AddDbContextPool<PostgresSagaEngineDbContext>(Configure);
        services.AddScoped<SagaEngineDbContext>(sp => sp.GetRequiredService<ConfiguredDatabase>().Provider == DatabaseProvider.Postgres
            ? sp.GetRequiredService<PostgresSagaEngineDbContext>()
            : sp.GetRequiredService<SqliteSagaEngineDbContext>());
        // Services and sagas ask for the plain DbContext; they need its sets, not the host's type.
        services.AddScoped<DbContext>(sp => sp.GetRequiredService<SagaEngineDbContext>());

        services.AddHostedService<DatabaseMigrator>();
        services.AddTransactionalOutbox();
        return builder;
    }

    static void Configure(IServiceProvider services, DbContextOptionsBuilder options)
    {
        services.GetRequiredService<ConfiguredDatabase>().Apply(options);
        options.AddInterceptors(services.GetRequiredService<OutboxCommitWatcher>(), services.GetRequiredService<TransactionMetrics>(),
            services.GetRequiredService<CommandMetrics>(), services.GetRequiredService<AfterCommit>(), services.GetRequiredService<Writes.CommitBatch>());
    }
}
