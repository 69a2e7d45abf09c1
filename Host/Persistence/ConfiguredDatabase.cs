using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;
using SagaEngine.Host.Persistence.Providers;

namespace SagaEngine.Host.Persistence;

/// <summary>The database the settings chose, resolved once: which provider, which connection, which setting names it.</summary>
public class ConfiguredDatabase
{
    public ConfiguredDatabase(IOptions<DatabaseOptions> options, IHostEnvironment environment)
    {
        // Reading the options validates them: a bad provider or a missing connection string stops here, by name.
        var settings = options.Value;
        Provider = settings.ProviderKind;
        if (Provider == DatabaseProvider.Postgres)
        {
            ConnectionString = settings.ConnectionString!;
            Setting = $"ConnectionStrings:{DatabaseOptions.ConnectionStringName}";
        }
        else
        {
            var path = Path.GetFullPath(settings.SqlitePath, environment.ContentRootPath);
            ConnectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString();
            Setting = $"{DatabaseOptions.Section}:SqlitePath ('{path}')";
            SqliteFile = path;
        }
    }

    public DatabaseProvider Provider { get; }

    public string ConnectionString { get; }

    /// <summary>The setting an operator changes when this database cannot be reached.</summary>
    public string Setting { get; }

    public string? SqliteFile { get; }

    public void Apply(DbContextOptionsBuilder options)
    {
        if (Provider == DatabaseProvider.Postgres)
            options.UseNpgsql(ConnectionString);
        else
            options.UseSqlite(ConnectionString).AddInterceptors(SqliteConnectionSetup.Instance, SqliteWriteGate.Instance);

        // A failed connection, command or save always reaches its caller, which logs it with its context
        // (MassTransit as a retry or fault, the relay, start-up, ASP.NET); EF's own error lines would only
        // repeat it. Expected failures (a version conflict, a redelivery colliding on the inbox key, the
        // probes of a database or history table that a first start has yet to create) then do not read as errors.
        options.ConfigureWarnings(w => w.Log(
            (RelationalEventId.ConnectionError, LogLevel.Debug),
            (RelationalEventId.CommandError, LogLevel.Debug),
            (CoreEventId.SaveChangesFailed, LogLevel.Debug)));
    }
}
